#include "platform/messaging/inbox.hpp"

namespace fo::messaging {

boost::asio::awaitable<bool> ClaimInbox(pg::Tx& tx, std::string_view event_id,
                                        std::string_view type, std::string_view topic) {
  static const pg::Statement kClaim{
      "messaging_inbox_claim",
      "INSERT INTO inbox (event_id, type, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      "INSERT", "inbox"};
  const auto result = co_await tx.Query(kClaim, pg::Params(event_id, type, topic));
  co_return result.AffectedRows() == 1;
}

}  // namespace fo::messaging
