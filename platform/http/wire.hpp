#pragma once
// HTTP/1.1 message heads serialized by hand into one reusable buffer: what the server and the
// client send. Beast's serializer allocates a node per header and walks a chain of buffer views
// per write; a request through the gateway writes two messages, so this is its hot path. The
// body is sent as a second buffer, never copied. Parsing stays with Beast.
#include <string>

#include "platform/http/message.hpp"

namespace fo::http {

struct ClientRequest;

// Status line, the response's headers, Content-Length (none for 1xx, 204 and 304, whose bodies
// are empty by definition) and Connection when it differs from the version's default. Header
// names and values are written as they are: those from the wire passed Beast's parser (which
// refuses CR and LF in them), and the ones our code makes never hold either.
void WriteResponseHead(std::string& out, const Response& response, unsigned version,
                       bool keep_alive);
// True when a response with this status carries no body at all.
bool BodylessStatus(int status);

// Request line, headers, and Content-Length when there is a body (or the method expects one).
void WriteRequestHead(std::string& out, const ClientRequest& request);

}  // namespace fo::http
