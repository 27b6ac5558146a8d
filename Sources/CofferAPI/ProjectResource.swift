import CofferCore

/// A project on the wire.
public struct ProjectResource: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    public var createdAt: Timestamp

    public init(_ project: Project) {
        id = project.id
        name = project.name
        description = project.description
        createdAt = project.createdAt
    }
}

/// `GET /v1/projects`: `{"projects": [...]}` inside the data envelope.
public struct ProjectList: Codable, Sendable, Equatable {
    public var projects: [ProjectResource]

    public init(projects: [ProjectResource]) {
        self.projects = projects
    }
}

/// The pagination block of a list response; `cursor` is absent on the last page.
public struct Pagination: Codable, Sendable, Equatable {
    public var hasNextPage: Bool
    public var cursor: String?
    public var count: Int

    public init(hasNextPage: Bool, cursor: String? = nil, count: Int) {
        self.hasNextPage = hasNextPage
        self.cursor = cursor
        self.count = count
    }
}

/// A list response: `{"data": ..., "pagination": ...}`.
public struct PagedEnvelope<Payload: Codable & Sendable>: Codable, Sendable {
    public var data: Payload
    public var pagination: Pagination

    public init(data: Payload, pagination: Pagination) {
        self.data = data
        self.pagination = pagination
    }
}

/// `GET /v1/health`.
public struct Health: Codable, Sendable, Equatable {
    public var status: String
    public var store: String

    public init(status: String, store: String) {
        self.status = status
        self.store = store
    }
}
