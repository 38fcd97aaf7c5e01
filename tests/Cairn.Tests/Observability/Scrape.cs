using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

/// <summary>One scrape of <c>/metrics</c>, parsed: sample (name and labels as written) → value.</summary>
internal sealed class Scrape
{
    private Scrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            Samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
    }

    public string Text { get; }

    public Dictionary<string, double> Samples { get; } = new(StringComparer.Ordinal);

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include every one of <paramref name="labels"/> (<c>org="x"</c>).</summary>
    public double Value(string name, params string[] labels) =>
        Samples.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
            .Sum(s => s.Value);

    public static async Task<Scrape> TakeAsync(TestServer server, string token = TestServer.AdminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return new Scrape(text);
    }
}
