import Foundation
import Testing

@testable import CofferClient

/// An error answer becomes an `APIClientError` with what the envelope says, never with bytes of the body: an answer
/// that is not Coffer's (a proxy's page, an echo of the request) may hold values.
@Suite struct APIClientErrorTests {
    @Test func anAnswerThatIsNotTheEnvelopeIsNamedByItsStatusAlone() {
        let body = Data(#"upstream said: {"variables": {"DB_PASSWORD": "hunter2-value"}}"#.utf8)
        let error = APIClient.error(from: body, status: 502, reasonPhrase: "Bad Gateway", requestId: "req-1")
        #expect(!error.description.contains("hunter2"), "\(error)")
        #expect(!error.message.contains("DB_PASSWORD"))
        #expect(error.status == 502 && error.requestId == "req-1")
        #expect(error.message == "Bad Gateway, with a body that is not Coffer's error envelope (\(body.count) bytes, not shown)")
        #expect(
            APIClient.error(from: Data(), status: 503, reasonPhrase: "Service Unavailable", requestId: nil).message
                == "Service Unavailable, with no body"
        )
    }

    @Test func anEnvelopeKeepsItsMessageFieldsAndRequestId() {
        let body = Data(
            #"{"error": {"status": 400, "message": "Invalid body", "id": "req-2", "details": {"secrets.variables.A": ["must be a string"]}}}"#.utf8
        )
        let error = APIClient.error(from: body, status: 400, reasonPhrase: "Bad Request", requestId: nil)
        #expect(
            error == APIClientError(status: 400, message: "Invalid body", details: ["secrets.variables.A": ["must be a string"]], requestId: "req-2")
        )
    }
}
