import Foundation

/// One accepted change, as the audit log keeps it: who, when, through which route, what (resource and the names of
/// the keys and fields that changed), never a value. Entries form a hash chain: each carries the hash of the one
/// before, so an edited or removed entry breaks the chain at that point.
public struct AuditEntry: Sendable, Hashable {
    /// 1, 2, 3, ... across the whole store, without gaps.
    public var sequence: Int64
    public var at: Timestamp
    public var teamId: String
    /// Nil for team-level changes (tokens).
    public var projectId: String?
    /// The token id that made the change, or `system` for changes made on the store directly (the CLI).
    public var actor: String
    public var action: AuditAction
    public var resourceType: AuditResourceType
    public var resourceId: String
    /// Names of variables, file paths, mounts, credentials or own values whose value was set, changed or removed.
    public var changedKeys: [String]
    /// Names of the other fields that changed (`priority`, `restrictions`, ...).
    public var changedFields: [String]
    /// The version a change to a secret group recorded (its history), nil for other resources.
    public var version: Int?
    /// The project's revision this change made (the change feed): 1, 2, 3, ... per project, without gaps, in
    /// sequence order. Nil for team-level changes. Assigned with the sequence, and checked by the chain's verifier
    /// (it is the entry's position among its project's entries) rather than hashed, so chains written before
    /// revisions existed verify unchanged.
    public var revision: Int64?
    /// `METHOD /path` of the request, when the change came through the API.
    public var route: String?
    public var requestId: String?
    /// SHA-256 chain links: `hash` covers every field above but `revision`, and `previousHash` (all zeros for the
    /// first entry).
    public var previousHash: Data
    public var hash: Data

    public init(
        sequence: Int64,
        at: Timestamp,
        teamId: String,
        projectId: String?,
        actor: String,
        action: AuditAction,
        resourceType: AuditResourceType,
        resourceId: String,
        changedKeys: [String] = [],
        changedFields: [String] = [],
        version: Int? = nil,
        revision: Int64? = nil,
        route: String? = nil,
        requestId: String? = nil,
        previousHash: Data = Data(),
        hash: Data = Data()
    ) {
        self.sequence = sequence
        self.at = at
        self.teamId = teamId
        self.projectId = projectId
        self.actor = actor
        self.action = action
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.changedKeys = changedKeys
        self.changedFields = changedFields
        self.version = version
        self.revision = revision
        self.route = route
        self.requestId = requestId
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The bytes the chain hash covers: every field but `hash`, length-prefixed so no two entries share them. Entries
    /// without a version hash as they did before versions existed (`coffer-audit/v1`), so older chains still verify.
    public var chainedBytes: Data {
        // Built as bytes and copied into Data once: Data's append of a sequence goes through a generic path per call.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + previousHash.count + changedKeys.reduce(0) { $0 + $1.utf8.count + 4 })
        bytes.append(contentsOf: (version == nil ? "coffer-audit/v1" : "coffer-audit/v2").utf8)
        func append(_ part: String) {
            withUnsafeBytes(of: UInt32(part.utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: part.utf8)
        }
        append(String(sequence))
        append(String(at.millisecondsSinceEpoch))
        append(teamId)
        append(projectId ?? "\u{0}")
        append(actor)
        append(action.rawValue)
        append(resourceType.rawValue)
        append(resourceId)
        append(route ?? "\u{0}")
        append(requestId ?? "\u{0}")
        append(String(changedKeys.count))
        changedKeys.forEach(append)
        append(String(changedFields.count))
        changedFields.forEach(append)
        if let version { append(String(version)) }
        bytes.append(contentsOf: previousHash)
        return Data(bytes)
    }
}

/// What was done.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case create
    case update
    case delete
    case revoke
    /// A secret group put back as it was at an earlier version.
    case rollback
    /// A deleted secret group brought back.
    case restore
}

/// What it was done to.
public enum AuditResourceType: String, Sendable, Codable, CaseIterable {
    case project
    case secret
    case addon
    case externalAddon = "external-addon"
    case service
    case job
    case token
}

/// Who is acting and through which request; the server sets it for each request (`AuditActor.$current`), and every
/// store reads it when it appends the entry of a change.
public struct AuditActor: Sendable, Hashable {
    public var actor: String
    public var route: String?
    public var requestId: String?

    public init(actor: String, route: String? = nil, requestId: String? = nil) {
        self.actor = actor
        self.route = route
        self.requestId = requestId
    }

    /// Changes made on the store directly, outside any request.
    public static let system = AuditActor(actor: "system")

    @TaskLocal public static var current: AuditActor = .system
}

/// Which entries to read: every field is optional and they combine with AND.
public struct AuditQuery: Sendable, Hashable {
    public var teamId: String?
    public var projectId: String?
    public var actor: String?
    public var action: AuditAction?
    public var resourceType: AuditResourceType?
    public var resourceId: String?
    public var since: Timestamp?
    public var until: Timestamp?
    /// Entries after this sequence number (a cursor).
    public var after: Int64?
    /// Entries after this project revision (the change feed; with `teamId` and `projectId`).
    public var afterRevision: Int64?
    public var limit: Int

    public init(
        teamId: String? = nil,
        projectId: String? = nil,
        actor: String? = nil,
        action: AuditAction? = nil,
        resourceType: AuditResourceType? = nil,
        resourceId: String? = nil,
        since: Timestamp? = nil,
        until: Timestamp? = nil,
        after: Int64? = nil,
        afterRevision: Int64? = nil,
        limit: Int = 100
    ) {
        self.teamId = teamId
        self.projectId = projectId
        self.actor = actor
        self.action = action
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.since = since
        self.until = until
        self.after = after
        self.afterRevision = afterRevision
        self.limit = limit
    }

    /// Whether `entry` passes every filter but the cursor and limit.
    public func matches(_ entry: AuditEntry) -> Bool {
        (teamId.map { $0 == entry.teamId } ?? true) && (projectId.map { $0 == entry.projectId } ?? true)
            && (actor.map { $0 == entry.actor } ?? true) && (action.map { $0 == entry.action } ?? true)
            && (resourceType.map { $0 == entry.resourceType } ?? true) && (resourceId.map { $0 == entry.resourceId } ?? true)
            && (since.map { entry.at >= $0 } ?? true) && (until.map { entry.at < $0 } ?? true)
            && (afterRevision.map { after in entry.revision.map { $0 > after } ?? false } ?? true)
    }
}

extension AuditEntry {
    /// An entry for a change by `actor`, before the store links it into the chain (sequence and hashes unset).
    public static func change(
        _ action: AuditAction,
        _ resourceType: AuditResourceType,
        id: String,
        team teamId: String,
        project projectId: String?,
        at: Timestamp,
        by actor: AuditActor,
        keys: [String] = [],
        fields: [String] = [],
        version: Int? = nil
    ) -> AuditEntry {
        AuditEntry(
            sequence: 0,
            at: at,
            teamId: teamId,
            projectId: projectId,
            actor: actor.actor,
            action: action,
            resourceType: resourceType,
            resourceId: id,
            changedKeys: keys,
            changedFields: fields,
            version: version,
            route: actor.route,
            requestId: actor.requestId
        )
    }
}

extension AuditResourceType {
    public init(_ kind: AddonKind) {
        self = kind == .addon ? .addon : .externalAddon
    }

    public init(_ kind: WorkloadKind) {
        self = kind == .service ? .service : .job
    }
}

extension AuditEntry {
    /// The entry of a group created (`old` nil) or changed, naming the version it records; `action` defaults to
    /// create or update.
    public static func groupChange(
        from old: SecretGroup?,
        to new: SecretGroup,
        in scope: ProjectScope,
        at: Timestamp,
        by actor: AuditActor,
        action: AuditAction? = nil
    ) -> AuditEntry {
        let before = old?.definition
        return change(
            action ?? (before == nil ? .create : .update),
            .secret,
            id: new.id,
            team: scope.teamId,
            project: scope.projectId,
            at: at,
            by: actor,
            keys: ChangedKeys.between(before?.secrets ?? SecretValues(), new.definition.secrets),
            fields: before.map { ChangedKeys.fields($0, new.definition) } ?? [],
            version: new.version
        )
    }

    /// The entry of a group deleted: every key it held is removed; `version` is the one recording the delete.
    public static func groupDeletion(_ old: SecretGroup, version: Int, in scope: ProjectScope, at: Timestamp, by actor: AuditActor) -> AuditEntry {
        change(
            .delete, .secret, id: old.id, team: scope.teamId, project: scope.projectId, at: at, by: actor,
            keys: ChangedKeys.between(old.definition.secrets, SecretValues()), version: version
        )
    }

    /// The entry of an addon created (`old` nil) or changed; its keys are the credentials that changed.
    public static func addonChange(from old: Addon?, to new: Addon, in scope: ProjectScope, at: Timestamp, by actor: AuditActor) -> AuditEntry {
        change(
            old == nil ? .create : .update,
            AuditResourceType(new.kind),
            id: new.id,
            team: scope.teamId,
            project: scope.projectId,
            at: at,
            by: actor,
            keys: ChangedKeys.between(old?.definition.credentials ?? [:], new.definition.credentials),
            fields: old.map { ChangedKeys.fields($0.definition, new.definition) } ?? []
        )
    }

    /// The entry of a workload created (`old` nil) or changed; its keys are its own values that changed.
    public static func workloadChange(
        from old: Workload?,
        to new: Workload,
        in scope: ProjectScope,
        at: Timestamp,
        by actor: AuditActor
    ) -> AuditEntry {
        change(
            old == nil ? .create : .update,
            AuditResourceType(new.kind),
            id: new.id,
            team: scope.teamId,
            project: scope.projectId,
            at: at,
            by: actor,
            keys: ChangedKeys.between(old?.definition.values ?? WorkloadValues(), new.definition.values),
            fields: old.map { ChangedKeys.fields($0.definition, new.definition) } ?? []
        )
    }

    /// The entry of a token created or revoked (team-level: no project).
    public static func tokenChange(_ action: AuditAction, _ token: Token, at: Timestamp, by actor: AuditActor) -> AuditEntry {
        change(action, .token, id: token.id, team: token.teamId, project: nil, at: at, by: actor)
    }
}
