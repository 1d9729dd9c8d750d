using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Turns a raw e-mail into the text a person would read: MIME parts walked, quoted-printable and base64 decoded,
/// text/plain preferred over text/html, HTML reduced to its text. Without this, much of the spam class is
/// encoded noise and the embedding sees "=3D" and base64 instead of words.
/// </summary>
internal static partial class EmailText
{
    public static (string Subject, string Body) Parse(string email)
    {
        var (headers, body) = Split(email.Replace("\r\n", "\n", StringComparison.Ordinal));
        var subject = SubjectLine().Match(headers) is { Success: true } m ? m.Groups[1].Value.Trim() : string.Empty;
        return (subject, ReadablePart(headers, body, depth: 0) ?? string.Empty);
    }

    private static string? ReadablePart(string headers, string body, int depth)
    {
        var contentType = Header(headers, "Content-Type")?.ToLowerInvariant() ?? "text/plain";
        if (contentType.StartsWith("multipart/", StringComparison.Ordinal) && depth < 5
            && Boundary().Match(Header(headers, "Content-Type")!) is { Success: true } boundary)
        {
            string? html = null;
            foreach (var part in body.Split("--" + boundary.Groups[1].Value).Skip(1))
            {
                var (partHeaders, partBody) = Split(part.TrimStart('\n'));
                var partType = Header(partHeaders, "Content-Type")?.ToLowerInvariant() ?? "text/plain";
                var text = ReadablePart(partHeaders, partBody, depth + 1);
                if (text is null)
                {
                    continue;
                }

                if (partType.StartsWith("text/html", StringComparison.Ordinal))
                {
                    html ??= text;
                }
                else
                {
                    return text;
                }
            }

            return html;
        }

        if (!contentType.StartsWith("text/", StringComparison.Ordinal))
        {
            return null; // attachments and images carry no readable text
        }

        var decoded = (Header(headers, "Content-Transfer-Encoding")?.Trim().ToLowerInvariant()) switch
        {
            "quoted-printable" => DecodeQuotedPrintable(body),
            "base64" => DecodeBase64(body),
            _ => body,
        };
        return contentType.StartsWith("text/html", StringComparison.Ordinal) || HtmlStart().IsMatch(decoded)
            ? StripHtml(decoded)
            : decoded;
    }

    private static (string Headers, string Body) Split(string text)
    {
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        return split < 0 ? (text, string.Empty) : (text[..split], text[(split + 2)..]);
    }

    private static string? Header(string headers, string name)
    {
        // Header values may continue on indented lines.
        var match = Regex.Match(headers, $@"^{name}:(.*(?:\n[ \t].*)*)", RegexOptions.Multiline | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups[1].Value.Replace("\n", " ", StringComparison.Ordinal).Trim() : null;
    }

    private static string DecodeQuotedPrintable(string text)
    {
        var joined = text.Replace("=\n", string.Empty, StringComparison.Ordinal);
        var bytes = new List<byte>(joined.Length);
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(Convert.ToByte(joined.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(joined[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static string DecodeBase64(string text)
    {
        var compact = new string([.. text.Where(c => !char.IsWhiteSpace(c))]);
        var buffer = new byte[compact.Length];
        return Convert.TryFromBase64String(compact, buffer, out var written) ? Encoding.UTF8.GetString(buffer, 0, written) : text;
    }

    private static string StripHtml(string html)
    {
        var withoutCode = StyleOrScript().Replace(html, " ");
        return WebUtility.HtmlDecode(HtmlTag().Replace(withoutCode, " "));
    }

    [GeneratedRegex(@"^Subject:(.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex SubjectLine();

    [GeneratedRegex("boundary=\"?([^\";]+)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex Boundary();

    [GeneratedRegex(@"<\s*(html|body|table|div|p|font|br)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlStart();

    [GeneratedRegex(@"<(style|script)[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex StyleOrScript();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex HtmlTag();
}
