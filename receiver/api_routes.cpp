#include "receiver/api_routes.hpp"

#include "json/json_text.hpp"

#include "decode/bz_date.hpp"
#include "decode/json_fields.hpp"
#include "receiver/query_values.hpp"
#include "views/svg_layout.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <boost/url/parse.hpp>

#include <charconv>

namespace seatmirror::receiver {
namespace {

constexpr std::size_t kDefaultLimit = 100;
constexpr std::int64_t kMaxLimit = 500;

Answer json(http::status status, const boost::json::value& body) {
  Answer answer;
  answer.response.result(status);
  answer.response.set(http::field::content_type, "application/json");
  answer.response.body() = json_text(body);
  return answer;
}

// A representation that changes whenever its row does: every write stores its event id.
std::string etag_of(const boost::json::object& row) {
  const auto* event = row.if_contains("last_event_id");
  return fmt::format("\"{}\"", event && event->is_string() ? std::string_view{event->get_string()} : "none");
}

// 304 when the client already has this version; else `make` builds the full answer.
template <typename Make>
Answer with_etag(const Request& request, const std::string& etag, Make make) {
  if (request[http::field::if_none_match] == etag) {
    Answer not_modified;
    not_modified.response.result(http::status::not_modified);
    not_modified.response.set(http::field::etag, etag);
    return not_modified;
  }
  Answer answer = make();
  answer.response.set(http::field::etag, etag);
  answer.response.set(http::field::cache_control, "no-cache");
  return answer;
}

std::optional<std::size_t> parse_limit(std::string_view text) {
  const auto limit = parse_integer_in(text, 1, kMaxLimit);
  return limit ? std::optional<std::size_t>{static_cast<std::size_t>(*limit)} : std::nullopt;
}

Answer bad_limit() {
  return error_answer(http::status::bad_request, "invalid_query", fmt::format("limit must be 1 to {}", kMaxLimit));
}

boost::json::object page_json(ReadModels::Page page) {
  boost::json::object body{{"items", std::move(page.items)}};
  body["next_cursor"] = page.next_cursor ? boost::json::value(*page.next_cursor) : nullptr;
  return body;
}

std::optional<bool> parse_flag(std::string_view text) {
  if (text == "1" || text == "true") return true;
  if (text == "0" || text == "false") return false;
  return std::nullopt;
}

boost::json::object layout_json(const SeatmapPicture& picture) {
  boost::json::array sections;
  for (const auto& section : picture.sections) {
    boost::json::object s{{"id", section.id}, {"name", section.name}};
    if (!section.layout) {
      s["problem"] = section.problem;
      sections.push_back(std::move(s));
      continue;
    }
    const auto& l = *section.layout;
    s["rows"] = l.rows;
    s["cols"] = l.cols;
    s["aisle_col"] = l.aisle_col;
    s["capacity"] = l.capacity();
    boost::json::array labels, seats, facilities;
    for (const auto& [row, label] : l.row_labels) labels.push_back({{"row", row}, {"label", label}});
    for (const auto& seat : l.seats) {
      boost::json::object o{
          {"row", seat.row}, {"col", seat.col}, {"status", seat.status}, {"overlapped", seat.overlapped}};
      o["label"] = seat.label ? boost::json::value(*seat.label) : nullptr;
      o["row_label"] = seat.row_label ? boost::json::value(*seat.row_label) : nullptr;
      o["seat_class_id"] = seat.seat_class_id ? boost::json::value(*seat.seat_class_id) : nullptr;
      o["seat_fee_id"] = seat.seat_fee_id ? boost::json::value(*seat.seat_fee_id) : nullptr;
      seats.push_back(std::move(o));
    }
    for (const auto& f : l.facilities) {
      facilities.push_back(
          {{"type", f.type}, {"row", f.row}, {"col", f.col}, {"width", f.width}, {"height", f.height}});
    }
    s["row_labels"] = std::move(labels);
    s["seats"] = std::move(seats);
    s["facilities"] = std::move(facilities);
    sections.push_back(std::move(s));
  }
  boost::json::object body{{"seatmap_id", picture.id},
                           {"name", picture.name},
                           {"seat_count", picture.seat_count()},
                           {"sections", std::move(sections)}};
  body["capacity"] = picture.capacity ? boost::json::value(*picture.capacity) : nullptr;
  body["deleted_at"] = picture.deleted_at ? boost::json::value(*picture.deleted_at) : nullptr;
  return body;
}

}  // namespace

bool ApiRoutes::authorised(const Request& request) const {
  const auto header = std::string_view{request[http::field::authorization]};
  if (!header.starts_with("Bearer ")) return false;
  const auto token = header.substr(7);
  return matches_any_secret(token, tokens_);
}

std::optional<Answer> ApiRoutes::handle(const Request& request) const {
  const auto target = std::string_view{request.target()};
  const auto path = target.substr(0, target.find('?'));
  if (!path.starts_with("/v1/")) return std::nullopt;
  if (path == "/v1/openapi.json") {
    Answer answer;
    answer.response.result(http::status::ok);
    answer.response.set(http::field::content_type, "application/json");
    answer.response.body() = openapi_document();
    return answer;
  }
  if (!authorised(request)) {
    auto refused = error_answer(http::status::unauthorized, "unauthorized",
                                tokens_.empty() ? "the read API is off: start serve with --read-token-file"
                                                : "send Authorization: Bearer <read token>");
    refused.response.set(http::field::www_authenticate, "Bearer");
    return refused;
  }
  // /v1/<kind>[/<id>[/layout|/layout.svg]]
  std::vector<std::string> parts;
  for (auto rest = path.substr(4); !rest.empty();) {
    const auto slash = rest.find('/');
    parts.emplace_back(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  }
  if (parts.size() == 1 && parts[0] == "seat-usage") return seat_usage(target);
  if (parts.size() == 1 && parts[0] == "seat-events") return seat_events(target);
  const auto kind = parts.empty() ? std::nullopt : inventory_kind(parts[0]);
  if (!kind || parts.size() > 3)
    return error_answer(http::status::not_found, "not_found", "no such API path; see /v1/openapi.json");
  if (parts.size() == 1) return list(*kind, target);
  if (!is_object_id(parts[1])) {
    return error_answer(http::status::bad_request, "invalid_id", "ids are 24 hexadecimal characters");
  }
  const auto id = to_lower_ascii(parts[1]);
  if (parts.size() == 2) return single(*kind, id, request);
  if (*kind == InventoryKind::seatmaps && (parts[2] == "layout" || parts[2] == "layout.svg")) {
    return layout(id, parts[2] == "layout.svg", request);
  }
  return error_answer(http::status::not_found, "not_found", "no such API path; see /v1/openapi.json");
}

Answer ApiRoutes::list(InventoryKind kind, std::string_view target) const {
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return error_answer(http::status::bad_request, "invalid_query", "the query string cannot be parsed");
  ListOptions options{.limit = kDefaultLimit};
  for (const auto& param : url->params()) {
    const std::string key = param.key, value = param.value;
    if (key == "limit") {
      const auto limit = parse_limit(value);
      if (!limit) return bad_limit();
      options.limit = *limit;
    } else if (key == "cursor") {
      options.after_id = value;
    } else if (const auto* filter = find_filter(kind, key)) {
      if (filter->is_flag) {
        const auto flag = parse_flag(value);
        if (!flag) return error_answer(http::status::bad_request, "invalid_query", key + " must be true or false");
        options.equals.emplace_back(key, *flag ? "1" : "0");
      } else {
        options.equals.emplace_back(key, value);
      }
    } else {
      std::vector<std::string_view> names;
      for (const auto& known : filterable_columns(kind)) names.push_back(known.column);
      return error_answer(
          http::status::bad_request, "invalid_query",
          fmt::format("unknown parameter {}; use limit, cursor or a filter ({})", key, fmt::join(names, ", ")));
    }
  }
  return json(http::status::ok, page_json(reads_.list(kind, options)));
}

Answer ApiRoutes::single(InventoryKind kind, const std::string& id, const Request& request) const {
  const auto row = reads_.get(kind, id);
  if (!row)
    return error_answer(http::status::not_found, "not_found", fmt::format("no {} with id {}", singular_name(kind), id));
  return with_etag(request, etag_of(*row), [&] { return json(http::status::ok, *row); });
}

Answer ApiRoutes::layout(const std::string& id, bool svg, const Request& request) const {
  const auto row = reads_.get(InventoryKind::seatmaps, id);
  if (!row) return error_answer(http::status::not_found, "not_found", fmt::format("no seatmap with id {}", id));
  auto etag = etag_of(*row);
  etag.insert(etag.size() - 1, svg ? "-svg" : "-layout");
  return with_etag(request, etag, [&] {
    const auto picture = reads_.seatmap_picture(id);
    if (!svg) return json(http::status::ok, layout_json(*picture));
    Answer answer;
    answer.response.result(http::status::ok);
    answer.response.set(http::field::content_type, "image/svg+xml");
    answer.response.body() = views::draw_seatmap_svg(*picture);
    return answer;
  });
}

}  // namespace seatmirror::receiver

namespace seatmirror::receiver {

Answer ApiRoutes::seat_usage(std::string_view target) const {
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return error_answer(http::status::bad_request, "invalid_query", "the query string cannot be parsed");
  UsageQuery query;
  std::optional<std::string> from_text, to_text;
  for (const auto& param : url->params()) {
    const std::string key = param.key, value = param.value;
    if (key == "customer") {
      query.customer = value;
    } else if (key == "type") {
      query.seat_type = value;
    } else if (key == "from") {
      from_text = value;
    } else if (key == "to") {
      to_text = value;
    } else {
      return error_answer(http::status::bad_request, "invalid_query",
                          fmt::format("unknown parameter {}; use customer, type, from and to", key));
    }
  }
  if (query.customer.empty() || !from_text || !to_text) {
    return error_answer(http::status::bad_request, "invalid_query", "customer, from and to are required");
  }
  if (auto problem = set_usage_period(query, "from", *from_text, "to", *to_text)) {
    return error_answer(http::status::bad_request, "invalid_query", *problem);
  }
  return json(http::status::ok, seat_usage_json(query, reads_.seat_usage(query)));
}

Answer ApiRoutes::seat_events(std::string_view target) const {
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return error_answer(http::status::bad_request, "invalid_query", "the query string cannot be parsed");
  SeatEventFilter filter{.limit = kDefaultLimit};
  for (const auto& param : url->params()) {
    const std::string key = param.key, value = param.value;
    if (key == "limit") {
      const auto limit = parse_limit(value);
      if (!limit) return bad_limit();
      filter.limit = *limit;
    } else if (key == "cursor") {
      filter.after_id = value;
    } else if (key == "customer") {
      filter.customer = value;
    } else if (key == "type") {
      filter.seat_type = value;
    } else {
      return error_answer(http::status::bad_request, "invalid_query",
                          fmt::format("unknown parameter {}; use limit, cursor, customer or type", key));
    }
  }
  return json(http::status::ok, page_json(reads_.seat_events(filter)));
}

}  // namespace seatmirror::receiver
