import CofferCore

/// A storage failure a caller can act on. Messages name identifiers only, never values.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, extensible without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        public static let projectNotFound = Code(name: "projectNotFound")
        public static let groupNotFound = Code(name: "groupNotFound")
        public static let addonNotFound = Code(name: "addonNotFound")
        public static let workloadNotFound = Code(name: "workloadNotFound")
        /// An `If-Match` version no longer matches: nothing was changed.
        public static let versionMismatch = Code(name: "versionMismatch")
        /// An addon cannot be deleted while groups link it.
        public static let addonInUse = Code(name: "addonInUse")
        public static let alreadyExists = Code(name: "alreadyExists")
        public static let masterKeyMismatch = Code(name: "masterKeyMismatch")
        /// A data key is wrapped by a master key the keyring does not hold (even after reloading it).
        public static let unknownMasterKey = Code(name: "unknownMasterKey")
        public static let corrupted = Code(name: "corrupted")
        public static let teamNotFound = Code(name: "teamNotFound")
        /// A store was configured wrongly (such as a malformed database URL).
        public static let invalidConfiguration = Code(name: "invalidConfiguration")
        /// A migration's target database already holds data (or tables that are not Coffer's).
        public static let notEmpty = Code(name: "notEmpty")
        /// A key rotation stopped midway and must be finished first.
        public static let unfinishedRotation = Code(name: "unfinishedRotation")
        /// The database cannot be reached (down, restarting, out of connections): nothing was changed, or the outcome of
        /// a write whose connection dropped at its commit is unknown. Retrying later is the remedy.
        public static let unavailable = Code(name: "unavailable")
        /// A version of a group that is not kept, or that records the group's deletion (so has no content).
        public static let versionNotFound = Code(name: "versionNotFound")
        /// A moment before what a group's kept history reaches: its state then is no longer known.
        public static let historyNotKept = Code(name: "historyNotKept")
        /// A group that does not link the addon an unlink names.
        public static let linkNotFound = Code(name: "linkNotFound")
        public var description: String { name }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The database cannot be reached; the message names no host, user or driver detail.
    public static let unavailable = StoreError(.unavailable, "The database is unavailable; retry shortly")

    package static func projectNotFound(_ scope: ProjectScope) -> StoreError {
        StoreError(.projectNotFound, "Project '\(scope.projectId)' not found")
    }
}

extension StoreError {
    package static func projectExists(_ id: String) -> StoreError {
        StoreError(.alreadyExists, "There is already a project with the same derived identifier '\(id)'")
    }
}

extension StoreError {
    package static func teamNotFound(_ id: String) -> StoreError {
        StoreError(.teamNotFound, "Team '\(id)' not found")
    }

    package static func tokenExists(_ id: String) -> StoreError {
        StoreError(.alreadyExists, "A token with id '\(id)' already exists")
    }

    package static func groupNotFound(_ id: String) -> StoreError {
        StoreError(.groupNotFound, "Secret '\(id)' not found")
    }

    package static let groupExists = StoreError(.alreadyExists, "There is already a secret with the same derived identifier")

    package static func addonNotFound(_ id: String, kind: AddonKind) -> StoreError {
        StoreError(.addonNotFound, "\(kind.displayName) '\(id)' not found")
    }

    package static func addonExists(_ id: String, kind: AddonKind) -> StoreError {
        StoreError(.alreadyExists, "There is already an \(kind == .addon ? "addon" : "external addon") with the same derived identifier '\(id)'")
    }

    package static let versionMismatch = StoreError(.versionMismatch, "If-Match does not match the current version; nothing was changed")

    package static func addonInUse(_ id: String, kind: AddonKind, groups: [String]) -> StoreError {
        StoreError(
            .addonInUse,
            "\(kind.displayName) '\(id)' is linked by secret groups \(groups.map { "'\($0)'" }.joined(separator: ", ")); remove the links first"
        )
    }

    package static func versionNotFound(_ id: String, version: Int) -> StoreError {
        StoreError(.versionNotFound, "Version \(version) of secret '\(id)' not found")
    }

    package static func versionIsDeletion(_ id: String, version: Int) -> StoreError {
        StoreError(.versionNotFound, "Version \(version) of secret '\(id)' records its deletion and has no content")
    }

    package static func groupNotDeleted(_ id: String) -> StoreError {
        StoreError(.alreadyExists, "Secret '\(id)' exists; only a deleted secret can be restored")
    }

    package static func historyNotKept(_ ids: [String]) -> StoreError {
        StoreError(
            .historyNotKept,
            "The history kept of secret(s) \(ids.map { "'\($0)'" }.joined(separator: ", ")) does not reach back to that moment"
        )
    }

    package static func linkNotFound(_ id: String, addonId: String) -> StoreError {
        StoreError(.linkNotFound, "Secret '\(id)' does not link addon '\(addonId)'")
    }

    /// Throws `versionMismatch` unless `expected` is nil or equals `current`.
    package static func check(expected: Int?, current: Int) throws {
        if let expected, expected != current { throw versionMismatch }
    }
}

extension StoreError {
    package static func workloadNotFound(_ id: String, kind: WorkloadKind) -> StoreError {
        StoreError(.workloadNotFound, "\(kind.displayName) '\(id)' not found")
    }

    package static func workloadExists(_ id: String, kind: WorkloadKind) -> StoreError {
        StoreError(.alreadyExists, "There is already a \(kind.rawValue) with the same derived identifier '\(id)'")
    }
}

extension StoreError {
    package static func unknownMasterKey(_ id: String) -> StoreError {
        StoreError(
            .unknownMasterKey,
            "A data key is wrapped by master key id \(id), which the master key file does not hold; add that key (one base64 key per line)"
        )
    }

    package static func dataKeyUnreadable(_ scope: ProjectScope, generation: Int, masterKeyID: String) -> StoreError {
        StoreError(
            .corrupted,
            "The data key of project '\(scope.projectId)' (generation \(generation)) does not open under master key id \(masterKeyID): wrong key or tampered"
        )
    }

    package static func dataKeyMissing(_ scope: ProjectScope, generation: Int) -> StoreError {
        StoreError(.corrupted, "Project '\(scope.projectId)' has no data key of generation \(generation)")
    }
}
