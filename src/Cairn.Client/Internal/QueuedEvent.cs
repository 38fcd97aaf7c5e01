using System;

namespace Cairn.Client.Internal
{
    /// <summary>One tracked event as it is queued: its id, sequence number, priority, category and JSON (an event object).</summary>
    internal sealed class QueuedEvent
    {
        public QueuedEvent(Guid id, long seq, EventPriority priority, string? category, byte[] json)
        {
            Id = id;
            Seq = seq;
            Priority = priority;
            Category = category;
            Json = json;
        }

        public Guid Id { get; }

        public long Seq { get; }

        public EventPriority Priority { get; }

        public string? Category { get; }

        public byte[] Json { get; }

        /// <summary>The order in which the queue took it (set by the queue).</summary>
        public long Order { get; set; }
    }
}
