using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Cairn.Client.Internal
{
    /// <summary>
    /// The queue of events not yet answered by the server, bounded in bytes, thread-safe. With a directory it is durable: an
    /// append-only log (<c>events-N.log</c>, one JSON line per event added and per event done), flushed to disk at every
    /// <see cref="Add"/> and <see cref="Remove"/>; a torn last line (a kill mid-write) is ignored on load, and the log is
    /// rewritten with only the live events (a new file, then the old ones deleted) when it grows. Without one it is memory only.
    /// </summary>
    internal sealed class EventQueue : IDisposable
    {
        private const string Prefix = "events-";
        private const string Suffix = ".log";

        private readonly object _gate = new object();
        private readonly string? _directory;
        private readonly long _maxBytes;
        // Live events of each priority (Low, Normal, High) in the order they were added: the bound drops the first of the lowest.
        private readonly LinkedList<QueuedEvent>[] _byPriority = { new LinkedList<QueuedEvent>(), new LinkedList<QueuedEvent>(), new LinkedList<QueuedEvent>() };
        private int _count;
        private long _order;
        private readonly Dictionary<Guid, LinkedListNode<QueuedEvent>> _byId = new Dictionary<Guid, LinkedListNode<QueuedEvent>>();
        private readonly BufferWriter _line = new BufferWriter(1024);
        private FileStream? _log;
        private long _segment;
        private long _bytes;
        private long _maxSeq = -1;

        private EventQueue(string? directory, long maxBytes)
        {
            _directory = directory;
            _maxBytes = maxBytes;
        }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        public long Bytes
        {
            get
            {
                lock (_gate)
                {
                    return _bytes;
                }
            }
        }

        public bool Durable => _log is not null;

        /// <summary>The highest sequence number loaded (−1 for none).</summary>
        public long MaxSeq => _maxSeq;

        public static EventQueue InMemory(long maxBytes) => new EventQueue(null, maxBytes);

        /// <summary>Opens (and loads) the queue under the directory.</summary>
        public static EventQueue Open(string directory, long maxBytes)
        {
            Directory.CreateDirectory(directory);
            var queue = new EventQueue(directory, maxBytes);
            queue.Load();
            return queue;
        }

        /// <summary>Adds events, dropping the lowest priority then the oldest past the bound; returns how many were dropped.</summary>
        public int Add(IReadOnlyList<QueuedEvent> events)
        {
            lock (_gate)
            {
                foreach (var e in events)
                {
                    if (_byId.ContainsKey(e.Id))
                    {
                        continue;
                    }
                    Link(e);
                    AppendAdded(e);
                }
                var dropped = 0;
                while (_bytes > _maxBytes && _count > 0)
                {
                    foreach (var list in _byPriority)
                    {
                        if (list.First is { } victim)
                        {
                            RemoveNode(victim);
                            dropped++;
                            break;
                        }
                    }
                }
                FlushLog();
                return dropped;
            }
        }

        /// <summary>The oldest events, at most <paramref name="max"/>.</summary>
        public List<QueuedEvent> Peek(int max)
        {
            lock (_gate)
            {
                // The oldest first, whatever their priority: a merge of the three lists by the order they were added in.
                var result = new List<QueuedEvent>(Math.Min(max, _count));
                var cursors = new LinkedListNode<QueuedEvent>?[] { _byPriority[0].First, _byPriority[1].First, _byPriority[2].First };
                while (result.Count < max)
                {
                    var best = -1;
                    for (var i = 0; i < cursors.Length; i++)
                    {
                        if (cursors[i] is { } node && (best < 0 || node.Value.Order < cursors[best]!.Value.Order))
                        {
                            best = i;
                        }
                    }
                    if (best < 0)
                    {
                        break;
                    }
                    result.Add(cursors[best]!.Value);
                    cursors[best] = cursors[best]!.Next;
                }
                return result;
            }
        }

        /// <summary>Removes events (answered by the server, or dropped); unknown ids are ignored.</summary>
        public void Remove(IEnumerable<Guid> ids)
        {
            lock (_gate)
            {
                foreach (var id in ids)
                {
                    if (_byId.TryGetValue(id, out var node))
                    {
                        RemoveNode(node);
                    }
                }
                FlushLog();
                CompactIfLarge();
            }
        }

        /// <summary>Removes every event of a category; returns how many.</summary>
        public int RemoveCategory(string category)
        {
            lock (_gate)
            {
                var victims = _byPriority.SelectMany(l => l).Where(e => string.Equals(e.Category, category, StringComparison.Ordinal)).Select(e => e.Id).ToList();
                Remove(victims);
                return victims.Count;
            }
        }

        /// <summary>Forgets everything and deletes the files (opt-out).</summary>
        public void Clear()
        {
            lock (_gate)
            {
                foreach (var list in _byPriority)
                {
                    list.Clear();
                }
                _count = 0;
                _byId.Clear();
                _bytes = 0;
                if (_directory is not null)
                {
                    _log?.Dispose();
                    foreach (var file in Segments())
                    {
                        File.Delete(file.Path);
                    }
                    _segment++;
                    _log = OpenSegment(_segment);
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _log?.Dispose();
                _log = null;
            }
        }

        private void RemoveNode(LinkedListNode<QueuedEvent> node)
        {
            Unlink(node);
            AppendDone(node.Value.Id);
        }

        private void Link(QueuedEvent e)
        {
            e.Order = _order++;
            _byId[e.Id] = _byPriority[PriorityIndex(e.Priority)].AddLast(e);
            _bytes += e.Json.Length;
            _count++;
            _maxSeq = Math.Max(_maxSeq, e.Seq);
        }

        private void Unlink(LinkedListNode<QueuedEvent> node)
        {
            node.List!.Remove(node);
            _byId.Remove(node.Value.Id);
            _bytes -= node.Value.Json.Length;
            _count--;
        }

        private static int PriorityIndex(EventPriority priority) => priority <= EventPriority.Low ? 0 : priority >= EventPriority.High ? 2 : 1;

        private void AppendAdded(QueuedEvent e)
        {
            if (_log is null)
            {
                return;
            }
            _line.Clear();
            using (var writer = new Utf8JsonWriter(_line))
            {
                writer.WriteStartObject();
                writer.WriteString("id", e.Id);
                writer.WriteNumber("s", e.Seq);
                writer.WriteNumber("p", (int)e.Priority);
                if (e.Category is not null)
                {
                    writer.WriteString("c", e.Category);
                }
                writer.WritePropertyName("e");
                writer.WriteRawValue(e.Json, skipInputValidation: true);
                writer.WriteEndObject();
            }
            WriteLine();
        }

        private void AppendDone(Guid id)
        {
            if (_log is null)
            {
                return;
            }
            _line.Clear();
            using (var writer = new Utf8JsonWriter(_line))
            {
                writer.WriteStartObject();
                writer.WriteString("d", id);
                writer.WriteEndObject();
            }
            WriteLine();
        }

        private void WriteLine()
        {
            _line.GetSpan(1)[0] = (byte)'\n';
            _line.Advance(1);
            _log!.Write(_line.WrittenSpan);
        }

        private void FlushLog() => _log?.Flush(flushToDisk: true);

        // The log is rewritten when it holds four times the live bytes (and at least 64 KiB), or nothing is live any more.
        private void CompactIfLarge()
        {
            if (_log is null)
            {
                return;
            }
            var length = _log.Length;
            if ((_count == 0 && length > 0) || length > Math.Max(64 * 1024, 4 * _bytes))
            {
                Compact();
            }
        }

        private void Compact()
        {
            var old = Segments().ToList();
            _log?.Dispose();
            _segment++;
            var path = SegmentPath(_segment);
            var temp = path + ".tmp";
            _log = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.Read);
            foreach (var e in Peek(int.MaxValue))
            {
                AppendAdded(e);
            }
            _log.Flush(flushToDisk: true);
            _log.Dispose();
            File.Move(temp, path);
            foreach (var file in old)
            {
                File.Delete(file.Path);
            }
            _log = OpenSegment(_segment);
        }

        private void Load()
        {
            foreach (var temp in Directory.GetFiles(_directory!, Prefix + "*" + Suffix + ".tmp"))
            {
                File.Delete(temp);
            }
            var segments = Segments().OrderBy(s => s.Number).ToList();
            foreach (var segment in segments)
            {
                _segment = Math.Max(_segment, segment.Number);
                foreach (var line in ReadLines(segment.Path))
                {
                    Apply(line);
                }
            }
            // Start a fresh log holding the live events only: a torn line at the end of the old one is gone with it.
            Compact();
        }

        private void Apply(byte[] line)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("d", out var done))
                {
                    if (_byId.TryGetValue(done.GetGuid(), out var node))
                    {
                        Unlink(node);
                    }
                    return;
                }
                var id = root.GetProperty("id").GetGuid();
                if (_byId.ContainsKey(id))
                {
                    return;
                }
                var seq = root.GetProperty("s").GetInt64();
                var priority = (EventPriority)root.GetProperty("p").GetInt32();
                var category = root.TryGetProperty("c", out var c) ? c.GetString() : null;
                var json = System.Text.Encoding.UTF8.GetBytes(root.GetProperty("e").GetRawText());
                Link(new QueuedEvent(id, seq, priority, category, json));
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is FormatException || ex is InvalidOperationException)
            {
                // A torn or damaged line (the game was killed while it was written): nothing of it was queued.
            }
        }

        private static IEnumerable<byte[]> ReadLines(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var start = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    if (i > start)
                    {
                        yield return bytes.AsSpan(start, i - start).ToArray();
                    }
                    start = i + 1;
                }
            }
            // A last line without its newline was not completely written: ignored.
        }

        private IEnumerable<(long Number, string Path)> Segments()
        {
            foreach (var path in Directory.GetFiles(_directory!, Prefix + "*" + Suffix))
            {
                var name = Path.GetFileName(path);
                if (long.TryParse(name.Substring(Prefix.Length, name.Length - Prefix.Length - Suffix.Length), out var number))
                {
                    yield return (number, path);
                }
            }
        }

        private string SegmentPath(long number) => Path.Combine(_directory!, Prefix + number.ToString("D10", System.Globalization.CultureInfo.InvariantCulture) + Suffix);

        private FileStream OpenSegment(long number) =>
            new FileStream(SegmentPath(number), FileMode.Append, FileAccess.Write, FileShare.Read, 4096);
    }
}
