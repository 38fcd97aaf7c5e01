using System.Text.Json.Nodes;
using Cairn.Ingest;

namespace Cairn.Tests.Ingest;

public sealed class QuarantineRedactorTests
{
    private static string KeyOf(string raw) => "key:" + raw.Trim().ToLowerInvariant();

    [Theory]
    [InlineData("write to ben@school.example now", "write to [redacted-email] now")]
    [InlineData("from 203.0.113.9:443", "from [redacted-ip]:443")]
    [InlineData("peer 2001:db8::77 and ::ffff:10.1.2.3", "peer [redacted-ip] and ::ffff:[redacted-ip]")]
    [InlineData("2025-09-29T22:02:51.04Z", "2025-09-29T22:02:51.04Z")]
    [InlineData("at 22:02:51, level 1.2.3, 3f2504e0-4f89-11d3-9a0c-0305e82c3301", "at 22:02:51, level 1.2.3, 3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    public void Issue_7_scrub_replaces_email_and_ip_addresses_and_leaves_times_and_ids(string text, string expected) =>
        Assert.Equal(expected, QuarantineRedactor.Scrub(text));

    [Fact]
    public void Issue_7_redact_takes_the_playerKey_from_the_closest_id_and_redacts_every_identity()
    {
        var e = JsonNode.Parse("""
            {"eventId":"e1","email":"ben@school.example","Player_ID":"P-7","teacher":{"id":"t-1","name":"Ms Ng"},
             "data":{"user":{"id":"deep","level":3},"label":"ok","names":["a"]}}
            """)!.AsObject();

        var key = QuarantineRedactor.Redact(e, KeyOf);

        Assert.Equal("key:p-7", key);
        Assert.Equal(
            """{"eventId":"e1","email":"[redacted]","Player_ID":"[redacted]","teacher":{"id":"[redacted]","name":"[redacted]"},"data":{"user":{"id":"[redacted]","level":3},"label":"ok","names":["a"]},"playerKey":"key:p-7"}""",
            e.ToJsonString());
    }

    [Fact]
    public void Issue_7_redact_uses_an_email_field_when_no_id_field_is_there_and_never_a_teacher_id()
    {
        var e = JsonNode.Parse("""{"teacherId":"t-1","contact":{"Email":"Ben@School.example"}}""")!.AsObject();

        var key = QuarantineRedactor.Redact(e, KeyOf);

        Assert.Equal("key:ben@school.example", key);
        Assert.DoesNotContain("t-1", e.ToJsonString(), StringComparison.Ordinal);
    }
}
