#include "app/table_output.hpp"

#include "json/json_text.hpp"

#include <fmt/format.h>

namespace seatmirror::cli {

std::string cell_text(const boost::json::value* value) {
  if (!value || value->is_null()) return "";
  if (value->is_string()) return std::string{value->get_string()};
  if (value->is_double()) return fmt::format("{}", value->get_double());  // 12.5, not 1.25E1
  return json_text(*value);
}

void print_table(const boost::json::array& rows, const std::vector<std::string>& columns) {
  std::vector<std::size_t> widths;
  for (const auto& column : columns) widths.push_back(column.size());
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    auto& line = cells.emplace_back();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      auto text = cell_text(row.as_object().if_contains(columns[i]));
      if (text.size() > 48) text = text.substr(0, 47) + "…";
      widths[i] = std::max(widths[i], text.size());
      line.push_back(std::move(text));
    }
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    for (std::size_t i = 0; i < line.size(); ++i)
      fmt::print("{:<{}}{}", line[i], widths[i], i + 1 < line.size() ? "  " : "\n");
  };
  print_line(columns);
  for (const auto& line : cells) print_line(line);
}

}  // namespace seatmirror::cli
