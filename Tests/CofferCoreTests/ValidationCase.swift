import Testing

@testable import CofferCore

/// One row of a validation table: members laid over a minimal valid body, and every issue expected (none when valid).
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let label: String
    let members: String
    let issues: [String: [String]]
    var limits = ValidationLimits()

    var testDescription: String { label }

    static func valid(_ label: String, _ members: String, limits: ValidationLimits = ValidationLimits()) -> ValidationCase {
        ValidationCase(label: label, members: members, issues: [:], limits: limits)
    }

    static func invalid(
        _ label: String,
        _ members: String,
        at path: String,
        _ messages: String...,
        limits: ValidationLimits = ValidationLimits()
    ) -> ValidationCase {
        ValidationCase(label: label, members: members, issues: [path: messages], limits: limits)
    }

    static func invalid(_ label: String, _ members: String, issues: [String: [String]]) -> ValidationCase {
        ValidationCase(label: label, members: members, issues: issues)
    }

    /// Validates the body and checks it is accepted, or refused with exactly the expected paths and messages.
    func check(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let value = try body(members)
        if issues.isEmpty {
            do {
                _ = try SecretGroupDefinition(validating: value, limits: limits)
            } catch {
                Issue.record("expected \(label) to validate, got \(error.issues)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let error = validationError(value, limits: limits) else { return }
        #expect(error.issueMap == issues, sourceLocation: sourceLocation)
        for (path, messages) in issues {
            #expect(error.messages(at: path) == messages, sourceLocation: sourceLocation)
        }
    }
}
