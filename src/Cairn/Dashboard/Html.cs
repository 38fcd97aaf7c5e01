using System.Text;
using System.Text.Encodings.Web;

namespace Cairn.Dashboard;

/// <summary>Server-rendered pages: a shared layout, and encoding of everything that comes from data.</summary>
internal static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <param name="csrf">The session's anti-forgery token (null on pages for signed-out visitors: no sign-out button).</param>
    public static IResult Page(string title, string body, string? csrf, int status = StatusCodes.Status200OK, string headerExtra = "")
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · Cairn</title>")
            .Append("<link rel=\"icon\" href=\"/favicon.ico\"><link rel=\"stylesheet\" href=\"/static/cairn.css\"></head><body>")
            .Append("<header><a class=\"title\" href=\"/groups\">Cairn</a><span class=\"page\">").Append(E(title)).Append("</span><span class=\"spacer\"></span>");
        if (csrf is not null)
        {
            html.Append(headerExtra)
                .Append("<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"_csrf\" value=\"").Append(E(csrf))
                .Append("\"><button type=\"submit\">Sign out</button></form>");
        }
        html.Append("</header><main>").Append(body).Append("</main><script src=\"/static/time.js\"></script></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
