import PropertyBased

@testable import CofferCore

/// A small random project: groups over a shared pool of keys (so they collide), addons some links miss, one workload.
struct RandomProject: Sendable, CustomStringConvertible {
    var groups: [SecretGroup]
    var addons: [String: Addon]
    var externalAddons: [String: Addon]
    var workload: Workload

    var resolver: Resolver { Resolver(groups: groups, addons: addons, externalAddons: externalAddons) }

    /// Every variable `group` offers (its own over its addon keys), as the resolver computes it.
    func offered(by group: SecretGroup) -> [String: String] {
        LinkedValues(of: group.definition, addons: addons, externalAddons: externalAddons).merged(under: group.definition.secrets.variables)
    }

    /// The workload's own variables and files for `phase`.
    func own(_ phase: Phase) -> (variables: [String: String], files: [String: SecretFile]) {
        let values = workload.definition.values
        return phase == .runtime ? (values.runtimeEnvironment, values.runtimeFiles) : (values.buildArguments, values.buildFiles)
    }

    /// Keys and restrictions only: values are placeholders derived from the keys.
    var description: String {
        let groupText = groups.map { group in
            let definition = group.definition
            let restrictions = definition.restrictions
            let restrictionText =
                restrictions.restricted
                ? "restricted(objects: \(restrictions.nfObjects.map { "\($0.type.rawValue):\($0.id)" }), tags: \(restrictions.tags) "
                    + "\(restrictions.tagMatchCondition.rawValue), stages: \(restrictions.stageIds))"
                : "unrestricted"
            return "\(group.id)[\(definition.secretType.rawValue) p\(definition.priority) \(restrictionText) "
                + "vars: \(definition.secrets.variables.keys.sorted()) files: \(definition.secrets.files.keys.sorted()) "
                + "mounts: \(definition.secrets.dockerSecretMounts.keys.sorted()) "
                + "links: \(definition.addonDependencies.map(\.addonId)) ext: \(definition.externalAddonDependencies.map(\.addonId))]"
        }
        let values = workload.definition.values
        return "groups: \(groupText); workload \(workload.kind.rawValue):\(workload.id) tags: \(workload.definition.tags) "
            + "stage: \(workload.definition.stageId ?? "-") runtime: \(values.runtimeEnvironment.keys.sorted()) "
            + "\(values.runtimeFiles.keys.sorted()) build: \(values.buildArguments.keys.sorted()) \(values.buildFiles.keys.sorted())"
    }
}

enum ProjectGenerators {
    static let groupNames = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    static let variableKeys = ["K1", "K2", "K3", "K4", "K5", "ALIAS"]
    static let paths = ["/etc/a", "/etc/b", "/etc/c"]
    static let mountNames = ["m1", "m2"]
    static let tags = ["eu", "us", "backend"]
    static let stages = ["dev", "prod"]
    static let objects = [Restrictions.Object(id: "api", type: .service), .init(id: "api", type: .job), .init(id: "worker", type: .job)]

    static let addons = [
        "db": Fixture.addon("db", credentials: ["USER": "db-user", "PASS": "db-pass"]),
        "cache": Fixture.addon("cache", credentials: ["USER": "cache-user"]),
    ]
    static let externalAddons = ["ext": Fixture.addon("ext", kind: .external, credentials: ["USER": "ext-user"])]

    static func subset<T>(_ pool: [T], _ rng: inout any SeededRandomNumberGenerator) -> [T] {
        pool.filter { _ in Bool.random(using: &rng) }
    }

    static func restrictions(_ rng: inout any SeededRandomNumberGenerator) -> Restrictions {
        Restrictions(
            restricted: Bool.random(using: &rng),
            nfObjects: subset(objects, &rng),
            tags: subset(tags, &rng),
            tagMatchCondition: Bool.random(using: &rng) ? .and : .or,
            stageIds: subset(stages, &rng)
        )
    }

    static func link(_ ids: [String], _ rng: inout any SeededRandomNumberGenerator) -> [AddonDependency] {
        guard Int.random(in: 0..<3, using: &rng) == 0 else { return [] }
        let keys = subset(["USER", "PASS", "NOPE"], &rng).map { keyName in
            AddonDependency.Key(keyName: keyName, aliases: subset(["ALIAS", "K\(Int.random(in: 1...5, using: &rng))"], &rng))
        }
        return [AddonDependency(addonId: ids.randomElement(using: &rng)!, keys: keys)]
    }

    static func group(_ name: String, _ rng: inout any SeededRandomNumberGenerator) -> SecretGroup {
        Fixture.group(
            name,
            SecretType.allCases.randomElement(using: &rng)!,
            priority: Int.random(in: 0...4, using: &rng),
            restrictions: restrictions(&rng),
            variables: Dictionary(uniqueKeysWithValues: subset(variableKeys, &rng).map { ($0, "\(name):\($0)") }),
            files: Dictionary(uniqueKeysWithValues: subset(paths, &rng).map { ($0, Fixture.file("\(name):\($0)")) }),
            mounts: Dictionary(uniqueKeysWithValues: subset(mountNames, &rng).map { ($0, Fixture.file("\(name):\($0)")) }),
            addons: link(["db", "cache", "gone"], &rng),
            externalAddons: link(["ext", "db"], &rng)
        )
    }

    static func workload(_ rng: inout any SeededRandomNumberGenerator) -> Workload {
        func variables(_ prefix: String) -> [String: String] {
            Dictionary(uniqueKeysWithValues: subset(variableKeys, &rng).map { ($0, "\(prefix):\($0)") })
        }
        func files(_ prefix: String) -> [String: SecretFile] {
            Dictionary(uniqueKeysWithValues: subset(paths, &rng).map { ($0, Fixture.file("\(prefix):\($0)")) })
        }
        return Fixture.workload(
            ["api", "worker"].randomElement(using: &rng)!,
            kind: WorkloadKind.allCases.randomElement(using: &rng)!,
            tags: subset(tags, &rng),
            stageId: (stages + [nil]).randomElement(using: &rng)!,
            values: WorkloadValues(
                runtimeEnvironment: variables("own-runtime"),
                runtimeFiles: files("own-runtime"),
                buildArguments: variables("own-build"),
                buildFiles: files("own-build")
            )
        )
    }

    /// 0-6 groups with distinct ids, priorities in 0...4 (so ties are common), and one workload.
    static let project = Generator<RandomProject, Shrink.None<RandomProject>> { rng in
        let count = Int.random(in: 0...groupNames.count, using: &rng)
        let names = Array(groupNames.shuffled(using: &rng).prefix(count))
        let groups = names.map { group($0, &rng) }
        return RandomProject(groups: groups, addons: addons, externalAddons: externalAddons, workload: workload(&rng))
    }

    /// A project and the same groups in another stored order.
    static let projectAndShuffle = Generator<(RandomProject, [SecretGroup]), Shrink.None<(RandomProject, [SecretGroup])>> { rng in
        let project = project.run(using: &rng)
        return (project, project.groups.shuffled(using: &rng))
    }
}
