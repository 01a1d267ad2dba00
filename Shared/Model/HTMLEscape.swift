/// HTML escaping for the pages both sides write (the client's printable certificate, the server's
/// console): the five characters that matter in text and in quoted attribute values.
public enum HTMLEscape {
    /// `text` safe for HTML content and quoted attribute values. It goes scalar by scalar, not by
    /// `Character`: a quote or `<` followed by a combining mark (or preceded by a prepend mark) is one
    /// grapheme cluster in Swift, but the browser's tokenizer still sees the bare quote or `<`.
    public static func text(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
