using System;
using System.Collections.Generic;

namespace Cairn.Client
{
    /// <summary>How much an event matters when the queue is full: the lowest priority is dropped first, then the oldest.</summary>
    public enum EventPriority
    {
        /// <summary>Telemetry that may be lost (ticks, mouse moves).</summary>
        Low = 0,

        /// <summary>The default.</summary>
        Normal = 1,

        /// <summary>Sessions, progress, purchases.</summary>
        High = 2,
    }

    /// <summary>
    /// An event's <c>data</c>: names and values of a few JSON kinds, written without reflection (safe under IL2CPP code
    /// stripping). Reuse one per call site or make a new one; the client copies it at <see cref="CairnClient.Track"/>.
    /// </summary>
    public sealed class EventData
    {
        internal readonly List<KeyValuePair<string, Value>> Items = new List<KeyValuePair<string, Value>>(4);

        /// <summary>Sets a string (null writes JSON null).</summary>
        public EventData Set(string name, string? value) => Add(name, new Value(ValueKind.String, value, 0, 0));

        /// <summary>Sets a whole number.</summary>
        public EventData Set(string name, long value) => Add(name, new Value(ValueKind.Integer, null, value, 0));

        /// <summary>Sets a number (NaN and infinities are written as null: JSON has no such numbers).</summary>
        public EventData Set(string name, double value) => Add(name, new Value(ValueKind.Number, null, 0, value));

        /// <summary>Sets a boolean.</summary>
        public EventData Set(string name, bool value) => Add(name, new Value(ValueKind.Boolean, null, value ? 1 : 0, 0));

        /// <summary>Removes every value (to reuse the instance).</summary>
        public EventData Clear()
        {
            Items.Clear();
            return this;
        }

        /// <summary>How many values are set.</summary>
        public int Count => Items.Count;

        private EventData Add(string name, Value value)
        {
            if (name is null)
            {
                throw new ArgumentNullException(nameof(name));
            }
            for (var i = 0; i < Items.Count; i++)
            {
                if (string.Equals(Items[i].Key, name, StringComparison.Ordinal))
                {
                    Items[i] = new KeyValuePair<string, Value>(name, value);
                    return this;
                }
            }
            Items.Add(new KeyValuePair<string, Value>(name, value));
            return this;
        }

        internal enum ValueKind
        {
            String,
            Integer,
            Number,
            Boolean,
        }

        internal readonly struct Value
        {
            public Value(ValueKind kind, string? text, long integer, double number)
            {
                Kind = kind;
                Text = text;
                Integer = integer;
                Number = number;
            }

            public ValueKind Kind { get; }

            public string? Text { get; }

            public long Integer { get; }

            public double Number { get; }
        }
    }
}
