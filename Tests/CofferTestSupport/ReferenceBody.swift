import Foundation

/// The reference request body of `PUT /secrets`, `shared/spec/examples/put-secret.request.json`, copied verbatim so
/// tests do not depend on a checkout of shared/.
public enum ReferenceBody {
    public static let json = """
        {
          "name": "Example Secret",
          "description": "A description",
          "type": "secret",
          "secretType": "environment",
          "priority": 10,
          "restrictions": {
            "restricted": true,
            "nfObjects": [
              {
                "id": "example-service",
                "type": "service"
              }
            ],
            "tagMatchCondition": "or"
          },
          "addonDependencies": [
            {
              "addonId": "example-addon",
              "keys": [
                {
                  "keyName": "USERNAME",
                  "aliases": [
                    "MONGO_USERNAME"
                  ]
                }
              ]
            }
          ],
          "externalAddonDependencies": [
            {
              "addonId": "example-addon",
              "keys": [
                {
                  "keyName": "USERNAME",
                  "aliases": [
                    "MONGO_USERNAME"
                  ]
                }
              ]
            }
          ],
          "secrets": {
            "variables": {
              "NODE_ENV": "production",
              "MONGO_DB": "some_connection_string"
            },
            "files": {
              "/dir/fileName": {
                "data": "VGhpcyBpcyBhbiBleGFtcGxlIHdpdGggYSB0ZW1wbGF0ZWQgJHtOT0RFX0VOVn0gdmFyaWFibGU=",
                "encoding": "utf-8"
              }
            },
            "dockerSecretMounts": {
              "example-secret-mount_1": {
                "data": "VGhpcyBpcyBhbiBleGFtcGxlIHdpdGggYSB0ZW1wbGF0ZWQgJHtOT0RFX0VOVn0gdmFyaWFibGU=",
                "encoding": "utf-8"
              }
            }
          }
        }
        """

    /// The reference body with one fragment replaced (naive text substitution of a unique fragment).
    public static func replacing(_ fragment: String, with replacement: String) -> String {
        precondition(json.contains(fragment), "fragment not in the reference body")
        return json.replacingOccurrences(of: fragment, with: replacement)
    }
}
