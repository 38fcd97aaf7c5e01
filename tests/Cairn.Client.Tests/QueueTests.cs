using Cairn.Client.Internal;
using Cairn.Client.Tests.Support;

namespace Cairn.Client.Tests;

public sealed class QueueTests
{
    private static QueuedEvent Event(long seq, EventPriority priority, int size = 100) =>
        new(Guid.NewGuid(), seq, priority, null, System.Text.Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', size - 8) + "\"}"));

    [Fact]
    public void Issue_16_a_full_queue_drops_the_lowest_priority_first_then_the_oldest_and_the_file_agrees_after_reopening()
    {
        using var directory = new TempDirectory();
        var events = new List<QueuedEvent>();
        using (var queue = EventQueue.Open(directory.Path, 2048))
        {
            for (var i = 0; i < 30; i++)
            {
                var e = Event(i, i % 3 == 0 ? EventPriority.Low : i % 3 == 1 ? EventPriority.Normal : EventPriority.High);
                events.Add(e);
                queue.Add([e]);
            }
            Assert.True(queue.Bytes <= 2048);
            var left = queue.Peek(100);
            // 20 events of 100 bytes fit: every Low one went first, then the oldest Normal ones.
            Assert.Equal(20, left.Count);
            Assert.DoesNotContain(left, e => e.Priority == EventPriority.Low);
            Assert.Equal(10, left.Count(e => e.Priority == EventPriority.High));
            Assert.Equal(events.Where(e => e.Priority == EventPriority.Normal).Skip(0).TakeLast(10).Select(e => e.Id), left.Where(e => e.Priority == EventPriority.Normal).Select(e => e.Id));
            queue.Remove(left.Take(5).Select(e => e.Id));
        }
        using (var reopened = EventQueue.Open(directory.Path, 2048))
        {
            Assert.Equal(15, reopened.Count);
            Assert.Equal(29, reopened.MaxSeq);
        }
    }

    [Fact]
    public void Issue_16_without_a_directory_the_queue_is_in_memory_and_bounded_the_same_way()
    {
        using var queue = EventQueue.InMemory(1024);
        for (var i = 0; i < 20; i++)
        {
            queue.Add([Event(i, i < 10 ? EventPriority.High : EventPriority.Low)]);
        }
        Assert.False(queue.Durable);
        Assert.Equal(10, queue.Count);
        Assert.All(queue.Peek(100), e => Assert.Equal(EventPriority.High, e.Priority));
    }

    [Fact]
    public void Issue_16_the_log_is_compacted_so_it_stays_near_the_live_events()
    {
        using var directory = new TempDirectory();
        using var queue = EventQueue.Open(directory.Path, 1024 * 1024);
        for (var round = 0; round < 50; round++)
        {
            var batch = Enumerable.Range(0, 100).Select(i => Event(round * 100 + i, EventPriority.Normal)).ToList();
            queue.Add(batch);
            queue.Remove(batch.Select(e => e.Id));
        }
        Assert.Equal(0, queue.Count);
        Assert.True(Directory.GetFiles(directory.Path, "events-*").Sum(f => new FileInfo(f).Length) < 64 * 1024);
    }
}
