import Foundation

/// The type of a form field; decides how input is parsed and which format rule applies.
public enum FieldType: String, Codable, Sendable, CaseIterable {
    case text
    case integer
    case decimal
    /// A percentage, 0–100.
    case percent
    /// `YYYY-MM-DD`.
    case date
    /// One of the field's options.
    case enumeration = "enum"
    case bool
    /// A GB/T 2260 division code.
    case region
    /// A mining licence number.
    case licence
    /// A unified social credit code.
    case creditCode
    /// A mobile or a fixed phone number.
    case phone
    /// A mobile phone number.
    case mobile
    case email
    case postalCode
}

/// One allowed value of an enumeration field.
public struct FieldOption: Codable, Hashable, Sendable {
    /// The stored value.
    public var value: String
    public var label: LocalizedText

    public init(_ value: String, zh: String, en: String) {
        self.value = value
        self.label = LocalizedText(zh: zh, en: en)
    }
}

/// One field of a form: where it lives, what it is called, and what it may hold.
public struct FormField: Codable, Hashable, Sendable {
    /// Dotted path, `section.field`.
    public var path: String
    public var label: LocalizedText
    public var type: FieldType
    /// Unit shown beside the value, e.g. `万吨/年`.
    public var unit: String?
    public var required: Bool
    /// Lowest allowed number (numeric types).
    public var min: Double?
    /// Highest allowed number (numeric types).
    public var max: Double?
    /// Longest allowed text, in characters.
    public var maxLength: Int?
    /// Allowed values (enumeration fields).
    public var options: [FieldOption]?
    /// The licence registry fills it (矿业权统一配号系统), so it need not be typed.
    public var fromRegistry: Bool
    /// For bool fields: the value must be true (a prerequisite the enterprise declares met).
    public var mustBeTrue: Bool

    public init(_ path: String, zh: String, en: String, _ type: FieldType, unit: String? = nil,
                required: Bool = true, min: Double? = nil, max: Double? = nil, maxLength: Int? = nil,
                options: [FieldOption]? = nil, fromRegistry: Bool = false, mustBeTrue: Bool = false) {
        self.path = path
        self.label = LocalizedText(zh: zh, en: en)
        self.type = type
        self.unit = unit
        self.required = required
        self.min = min
        self.max = max
        self.maxLength = maxLength ?? (type == .text ? 200 : nil)
        self.options = options
        self.fromRegistry = fromRegistry
        self.mustBeTrue = mustBeTrue
    }

    /// The section part of the path.
    public var section: String {
        String(path.split(separator: ".", maxSplits: 1).first ?? Substring(path))
    }
}

/// A titled group of fields (one page of the web form).
public struct FormSection: Codable, Hashable, Sendable {
    public var id: String
    public var title: LocalizedText
    public var fields: [FormField]

    public init(_ id: String, zh: String, en: String, fields: [FormField]) {
        self.id = id
        self.title = LocalizedText(zh: zh, en: en)
        self.fields = fields
    }
}
