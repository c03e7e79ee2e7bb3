#include "views/terminal_layout.hpp"

#include "views/seat_colours.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace seatmirror::views {
namespace {

constexpr int kCellWidth = 5;

std::string centred(std::string text, int width = kCellWidth) {
  if (static_cast<int>(text.size()) > width) text.resize(static_cast<std::size_t>(width));
  const int left = (width - static_cast<int>(text.size())) / 2;
  return std::string(static_cast<std::size_t>(left), ' ') + text +
         std::string(static_cast<std::size_t>(width - left - static_cast<int>(text.size())), ' ');
}

std::string facility_code(const std::string& type) {
  if (type == "door") return "DOOR";
  if (type == "wc") return "WC";
  if (type == "stairway") return "STRS";
  if (type == "accordion") return "ACCD";
  std::string code = type.substr(0, 4);
  for (auto& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return code;
}

std::string paint(const std::string& cell, const std::optional<std::string>& bg, bool colour) {
  if (!colour || !bg) return cell;
  const auto rgb = *parse_hex_colour(*bg);
  return fmt::format("\033[30;48;2;{};{};{}m{}\033[0m", rgb[0], rgb[1], rgb[2], cell);
}

// The facility other than the driver that covers a cell, if any (the last listed wins).
const PlacedFacility* facility_at(const SectionLayout& layout, int row, int col) {
  const PlacedFacility* found = nullptr;
  for (const auto& f : layout.facilities) {
    if (f.type != "driver" && row >= f.row && row < f.row + f.height && col >= f.col && col < f.col + f.width) {
      found = &f;
    }
  }
  return found;
}

// The driver spans the row, but a facility beside the driver (the front door, as in the seed
// coach) is drawn in its own cell: the legend lists it, so the picture must show it.
std::string draw_driver_row(const SectionLayout& layout, int row) {
  std::string line;
  int driver_cells = 0;
  const auto flush_driver = [&] {
    if (driver_cells > 0) line += centred(driver_cells > 1 ? "[ DRIVER ]" : "DRVR", kCellWidth * driver_cells);
    driver_cells = 0;
  };
  for (int col = 1; col <= layout.cols; ++col) {
    if (const auto* other = facility_at(layout, row, col)) {
      flush_driver();
      line += centred(facility_code(other->type));
    } else {
      ++driver_cells;
    }
  }
  flush_driver();
  return line;
}

void draw_section(std::string& out, const SeatmapPicture& picture, const SeatmapPicture::Section& section,
                  bool colour) {
  if (!section.layout) {
    out += fmt::format("{}: not drawable: {}\n", section.name, section.problem);
    return;
  }
  const auto& layout = *section.layout;
  out += fmt::format("{} — {} seats\n", section.name, layout.capacity());
  std::map<std::pair<int, int>, const LayoutSeat*> seats;
  for (const auto& seat : layout.seats) seats[{seat.row, seat.col}] = &seat;
  std::map<int, std::string> row_label(layout.row_labels.begin(), layout.row_labels.end());
  for (int row = 1; row <= layout.rows; ++row) {
    std::string line;
    const bool driver_row = std::ranges::any_of(
        layout.facilities, [&](const PlacedFacility& f) { return f.type == "driver" && f.row == row; });
    if (driver_row) {
      out += "  " + draw_driver_row(layout, row) + "\n";
      continue;
    }
    for (int col = 1; col <= layout.cols; ++col) {
      const auto it = seats.find({row, col});
      if (it == seats.end()) {  // the aisle
        line += centred(layout.is_aisle(row, col) && row_label.count(row) ? row_label[row] : "");
        continue;
      }
      const auto& seat = *it->second;
      if (seat.overlapped) {
        const auto* facility = facility_at(layout, row, col);
        line += centred(facility ? facility_code(facility->type) : "XX");
        continue;
      }
      line += paint(fmt::format("[{:>3}]", seat.label.value_or("")), seat_colour(picture, seat), colour);
    }
    out += "  " + line + "\n";
  }
}

}  // namespace

std::string draw_seatmap_text(const SeatmapPicture& picture, bool colour) {
  std::string out = fmt::format("{} ({}): {} seats", picture.name, picture.id, picture.seat_count());
  if (picture.capacity && *picture.capacity != picture.seat_count()) {
    out += fmt::format(" — its capacity says {}", *picture.capacity);
  }
  if (picture.deleted_at) out += fmt::format("\ndeleted at {}; this is its last layout", *picture.deleted_at);
  out += "\n\n";
  for (const auto& section : picture.sections) {
    draw_section(out, picture, section, colour);
    out += "\n";
  }
  out += "legend: [ n] seat n   DOOR door   WC toilet   STRS stairs   ACCD accordion   row labels in the aisle\n";
  for (const auto& [id, name] : picture.name_of) {
    const auto it = picture.colour_of.find(id);
    out += fmt::format("        {} {}\n",
                       paint("[   ]", it == picture.colour_of.end() ? std::nullopt : std::optional{it->second}, colour),
                       name);
  }
  return out;
}

}  // namespace seatmirror::views
