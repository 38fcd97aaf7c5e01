using System.Net;
using System.Text;

namespace Cairn.Tests.Access;

/// <summary>Malformed, oversized and odd input on the access and privacy endpoints: a 4xx answer, never a 500.</summary>
public sealed class HostileInputTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    private static readonly string Long = new('x', 5000);

    public static TheoryData<string, string, string, string?> Requests => new()
    {
        // consent
        { "admin", "PUT", "/v1/players/consent", "null" },
        { "admin", "PUT", "/v1/players/consent", "[]" },
        { "admin", "PUT", "/v1/players/consent", "{\"org\":123,\"playerId\":\"a\"}" },
        { "admin", "PUT", "/v1/players/consent", "{\"org\":\"org-test\"}" },
        { "admin", "PUT", "/v1/players/consent", "{\"org\":\"org-test\",\"playerId\":\"a\",\"consent\":\"maybe\"}" },
        { "admin", "PUT", "/v1/players/consent", "{\"org\":\"org-test\",\"playerId\":\"a\",\"under13\":\"yes\"}" },
        { "admin", "PUT", "/v1/players/consent", "{\"org\":\"../etc\",\"playerId\":\"a\"}" },
        { "admin", "PUT", "/v1/players/consent", $"{{\"org\":\"org-test\",\"playerId\":\"{Long}\"}}" },
        { "org-admin-A", "PUT", "/v1/players/consent", "{\"playerId\":\"   \"}" },
        { "admin", "PUT", "/v1/players/consent", "{\"org\":\"org-test\",\"playerId\":\"a\"" },
        // erase
        { "admin", "DELETE", "/v1/players/ada@a.example", null },
        { "admin", "DELETE", "/v1/players/ada@a.example?org=%00", null },
        { "admin", "DELETE", $"/v1/players/{Long}?org=org-test", null },
        { "admin", "POST", "/v1/players/erase", "{}" },
        { "admin", "POST", "/v1/players/erase", "\"ada\"" },
        { "admin", "POST", "/v1/players/erase", "{\"org\":\"org-test\",\"playerId\":[1]}" },
        { "org-admin-A", "POST", "/v1/players/erase", "{\"playerId\":\"\"}" },
        // export
        { "admin", "GET", "/v1/export/events?format=xml", null },
        { "admin", "GET", "/v1/export/events?since=yesterday", null },
        { "admin", "GET", "/v1/export/progress?until=2025-13-45T99:99:99Z", null },
        { "admin", "GET", "/v1/export/events?names=maybe", null },
        { "admin", "GET", "/v1/export/events?group=..%2F..%2Fetc", null },
        { "admin", "GET", $"/v1/export/progress?group={Long}", null },
        { "teacher-t1", "GET", "/v1/export/events?org=org-b", null },
        { "student", "GET", "/v1/export/events?group=g1", null },
        { "admin", "GET", "/v1/rejected?limit=-1", null },
        { "admin", "GET", "/v1/rejected?cursor=%27%20OR%201%3D1", null },
        // keys
        { "admin", "POST", "/v1/admin/keys", "null" },
        { "admin", "POST", "/v1/admin/keys", "{\"org\":\"org-test\",\"role\":\"root\"}" },
        { "admin", "POST", "/v1/admin/keys", "{\"org\":\"org-test\",\"role\":\"teacher\"}" },
        { "admin", "POST", "/v1/admin/keys", "{\"org\":\"org-test\",\"role\":\"teacher\",\"teachers\":\"t1\"}" },
        { "admin", "POST", "/v1/admin/keys", "{\"org\":\"org-test\",\"role\":\"teacher\",\"teachers\":[\"t 1; drop\"]}" },
        { "admin", "POST", "/v1/admin/keys", "{\"org\":\"org-test\",\"role\":\"teacher\",\"teachers\":[null]}" },
        { "admin", "POST", "/v1/admin/keys", $"{{\"org\":\"org-test\",\"role\":\"student\",\"playerId\":\"{Long}\"}}" },
        { "admin", "POST", "/v1/admin/keys", "{\"org\":\"org-test\",\"role\":\"admin\",\"playerId\":\"a\"}" },
        { "admin", "POST", "/v1/admin/keys", "{\"role\":\"org-admin\"}" },
        { "admin", "DELETE", "/v1/admin/keys/key_doesnotexist", null },
        { "admin", "DELETE", $"/v1/admin/keys/{Long}", null },
        { "admin", "GET", "/v1/admin/players/lookup", null },
        { "admin", "GET", "/v1/admin/players/lookup?org=org-test&playerId=%20", null },
        { "admin", "POST", "/v1/admin/players/lookup", "{\"org\":[],\"playerId\":{}}" },
        // players and groups
        { "admin", "GET", "/v1/players/not-a-key/events", null },
        { "admin", "GET", "/v1/players/p1_zz/progress?game=..%2F", null },
        { "admin", "PUT", "/v1/groups/g1/members", "[null]" },
        { "admin", "PUT", "/v1/groups/g1/members", "[{\"playerId\":\"a\",\"consent\":\"nope\"}]" },
        { "admin", "PUT", "/v1/groups/g1/members", "{\"playerId\":\"a\"}" },
        // the class mastery matrix and the class timeline (issue 12)
        { "admin", "GET", "/v1/groups/g1/mastery?since=%27%20OR%201%3D1", null },
        { "admin", "GET", "/v1/groups/g1/mastery?since=LTE6MA", null },
        { "admin", "GET", $"/v1/groups/{Long}/mastery", null },
        { "admin", "GET", "/v1/groups/g1/mastery/stream?since=zz", null },
        { "admin", "GET", "/v1/groups/g1/players/not-a-key/timeline", null },
        { "admin", "GET", "/v1/groups/g1/players/p1_zz/timeline?limit=99999999999", null },
        { "admin", "GET", "/v1/groups/g1/players/p1_zz/timeline?cursor=%00", null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Hostile_input_gets_a_client_error_never_a_server_error(string role, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", world.Tokens[role]);

        using var response = await world.Server.Http.SendAsync(request);

        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{method} {path}: {status} {await response.Content.ReadAsStringAsync()}");
    }
}
