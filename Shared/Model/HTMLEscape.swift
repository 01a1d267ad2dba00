/// HTML escaping for the pages both sides write (the client's printable certificate, the server's
/// console): the five characters that matter in text and in quoted attribute values.
public enum HTMLEscape {
    /// `text` safe for HTML content and quoted attribute values.
    public static func text(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
