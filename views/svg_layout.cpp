#include "views/svg_layout.hpp"

#include "views/seat_colours.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

namespace seatmirror::views {
namespace {

constexpr int kCell = 34;
constexpr int kGap = 40;    // between sections
constexpr int kTitle = 56;  // space above the grids
constexpr const char* kPlainSeat = "#e8eef4";

// Text from payloads goes into XML: escape it.
std::string xml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// What a pointer resting on a seat shows: "Seat 7 · row 2, column 4 · Business · Premium fee · available".
std::string seat_tooltip(const SeatmapPicture& picture, const LayoutSeat& seat) {
  std::string text = seat.label ? fmt::format("Seat {}", *seat.label) : std::string{"Seat"};
  text += fmt::format(" · row {}, column {}", seat.row_label.value_or(std::to_string(seat.row)), seat.col);
  for (const auto& [id, suffix] : {std::pair{seat.seat_class_id, ""}, std::pair{seat.seat_fee_id, " fee"}}) {
    if (!id) continue;
    const auto name = picture.name_of.find(*id);
    text += fmt::format(" · {}{}", name != picture.name_of.end() ? name->second : *id, suffix);
  }
  return text + " · " + seat.status;
}

void draw_section(std::string& svg, const SeatmapPicture& picture, const SectionLayout& layout, const std::string& name,
                  int x0) {
  const int y0 = kTitle;
  svg += fmt::format(R"(<text x="{}" y="{}" class="section">{} ({} seats)</text>)", x0, y0 - 10, xml(name),
                     layout.capacity());
  svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" class="body"/>)", x0 - 4, y0 - 4,
                     layout.cols * kCell + 8, layout.rows * kCell + 8);
  for (const auto& [row, label] : layout.row_labels) {
    svg += fmt::format(R"(<text x="{}" y="{}" class="row-label">{}</text>)",
                       x0 + (layout.aisle_col - 1) * kCell + kCell / 2, y0 + (row - 1) * kCell + kCell / 2 + 4,
                       xml(label));
  }
  // The full-width driver first, so that what stands in its row (the front door) is drawn
  // over it rather than hidden under it.
  std::vector<const PlacedFacility*> facilities;
  for (const auto& f : layout.facilities) facilities.push_back(&f);
  // (std::stable_partition, not the ranges form: clang 14, which builds the fuzz targets, cannot
  // compile libstdc++ 12's ranges::subrange.)
  std::stable_partition(facilities.begin(), facilities.end(),
                        [](const PlacedFacility* f) { return f->type == "driver"; });
  for (const auto* facility : facilities) {
    const auto& f = *facility;
    svg += fmt::format(R"(<g class="facility {0}"><rect x="{1}" y="{2}" width="{3}" height="{4}" rx="4"/>)"
                       R"(<text x="{5}" y="{6}">{0}</text></g>)",
                       xml(f.type), x0 + (f.col - 1) * kCell + 2, y0 + (f.row - 1) * kCell + 2, f.width * kCell - 4,
                       f.height * kCell - 4, x0 + (f.col - 1) * kCell + f.width * kCell / 2,
                       y0 + (f.row - 1) * kCell + f.height * kCell / 2 + 4);
  }
  for (const auto& seat : layout.seats) {
    if (seat.overlapped) continue;  // drawn as the facility that covers it
    const int x = x0 + (seat.col - 1) * kCell, y = y0 + (seat.row - 1) * kCell;
    svg += fmt::format(R"(<g><title>{8}</title><rect class="seat" data-label="{0}" data-status="{1}" x="{2}" )"
                       R"(y="{3}" width="{4}" height="{4}" rx="6" fill="{5}"/><text x="{6}" y="{7}">{0}</text></g>)",
                       xml(seat.label.value_or("")), xml(seat.status), x + 3, y + 3, kCell - 6,
                       xml(seat_colour(picture, seat).value_or(kPlainSeat)), x + kCell / 2, y + kCell / 2 + 4,
                       xml(seat_tooltip(picture, seat)));
  }
}

}  // namespace

std::string draw_seatmap_svg(const SeatmapPicture& picture) {
  int width = kGap / 2, height = 0;
  for (const auto& section : picture.sections) {
    if (!section.layout) continue;
    width += section.layout->cols * kCell + kGap;
    height = std::max(height, section.layout->rows * kCell);
  }
  const int legend_rows = 2 + static_cast<int>(picture.name_of.size());
  height += kTitle + 20 + legend_rows * 22;
  // Text is not measured; about 9 px a character at the title's size, 7 px in the legend.
  const auto title = fmt::format("{} — {} seats{}", picture.name, picture.seat_count(),
                                 picture.deleted_at ? " (deleted; last layout)" : "");
  width = std::max(width, kGap + 9 * static_cast<int>(title.size()));
  for (const auto& [id, name] : picture.name_of) width = std::max(width, kGap + 30 + 7 * static_cast<int>(name.size()));
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" font-family="sans-serif" font-size="12">)"
      R"(<style>text{{text-anchor:middle;fill:#1d2733}} .title,.section,.legend text{{text-anchor:start}} .title{{font-size:16px;font-weight:bold}})"
      R"( .body{{fill:#fafbfc;stroke:#9aa7b4;rx:10}} .seat{{stroke:#5b6b7b}} .facility rect{{fill:#c9d3dc;stroke:#5b6b7b}})"
      R"( .facility.driver rect{{fill:#7b8a99}} .facility.door rect{{fill:#f2d0a4}} .row-label{{fill:#8a96a3;font-size:11px}}</style>)",
      width, height);
  svg += fmt::format(R"(<text x="{}" y="24" class="title">{}</text>)", kGap / 2, xml(title));
  int x = kGap / 2;
  for (const auto& section : picture.sections) {
    if (!section.layout) continue;
    draw_section(svg, picture, *section.layout, section.name, x);
    x += section.layout->cols * kCell + kGap;
  }
  int y = height - legend_rows * 22 + 4;
  svg += R"(<g class="legend">)";
  svg += fmt::format(
      R"(<rect x="{}" y="{}" width="16" height="16" rx="4" fill="{}" stroke="#5b6b7b"/><text x="{}" y="{}">seat</text>)",
      kGap / 2, y, kPlainSeat, kGap / 2 + 22, y + 12);
  y += 22;
  svg += fmt::format(
      R"(<rect x="{}" y="{}" width="16" height="16" rx="4" fill="#c9d3dc" stroke="#5b6b7b"/><text x="{}" y="{}">facility (driver, door, wc, stairs…)</text>)",
      kGap / 2, y, kGap / 2 + 22, y + 12);
  for (const auto& [id, name] : picture.name_of) {
    y += 22;
    const auto colour = picture.colour_of.count(id) ? picture.colour_of.at(id) : std::string{kPlainSeat};
    svg += fmt::format(
        R"(<rect x="{}" y="{}" width="16" height="16" rx="4" fill="{}" stroke="#5b6b7b"/><text x="{}" y="{}">{}</text>)",
        kGap / 2, y, xml(parse_hex_colour(colour) ? colour : kPlainSeat), kGap / 2 + 22, y + 12, xml(name));
  }
  svg += "</g></svg>\n";
  return svg;
}

}  // namespace seatmirror::views
