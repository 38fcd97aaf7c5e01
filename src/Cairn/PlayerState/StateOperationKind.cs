namespace Cairn.PlayerState;

/// <summary>What a state rule does to the player's state in the game (the catalog key in parentheses).</summary>
internal enum StateOperationKind
{
    /// <summary><c>addItem</c>: the item joins the inventory (once: the inventory is a set).</summary>
    AddItem,

    /// <summary><c>removeItem</c>: the item leaves the inventory.</summary>
    RemoveItem,

    /// <summary><c>visit</c>: the waypoint is visited (the first visit's time is kept).</summary>
    Visit,

    /// <summary><c>startQuest</c>: the quest becomes active (unless it is already completed).</summary>
    StartQuest,

    /// <summary><c>completeQuest</c>: the quest is completed (the first completion's time is kept).</summary>
    CompleteQuest,

    /// <summary><c>setFlag</c>: the flag is true.</summary>
    SetFlag,

    /// <summary><c>clearFlag</c>: the flag is false.</summary>
    ClearFlag,

    /// <summary><c>addCounter</c>: the counter grows by the amount.</summary>
    AddCounter,

    /// <summary><c>location</c>: the player's current location.</summary>
    SetLocation,
}
