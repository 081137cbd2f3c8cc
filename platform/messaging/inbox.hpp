#pragma once
// The consuming half: a handler claims the event id in the transaction that applies the event's
// effect. A redelivered event finds its id taken and is skipped, so at-least-once delivery has
// exactly-once effect.
#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "platform/pg/pool.hpp"

namespace fo::messaging {

// True if this transaction claimed the id (apply the effect); false if it was processed before
// (apply nothing). Concurrent claims of one id serialise on the primary key.
boost::asio::awaitable<bool> ClaimInbox(pg::Tx& tx, std::string_view event_id,
                                        std::string_view type, std::string_view topic);

}  // namespace fo::messaging
