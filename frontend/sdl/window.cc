#include "frontend/sdl/window.h"

#include <algorithm>

#include "base/error.h"

namespace tern {

namespace {

// Pictures smaller than this are shown at an integer multiple (320x200 -> 640x400).
constexpr u32 kMinWindowWidth = 640;
constexpr u32 kMinWindowHeight = 400;

}  // namespace

SdlWindow::SdlWindow() {
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "nearest");
  m_window = SDL_CreateWindow("tern", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 720, 400,
                              SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!m_window) throw Error(fmt::format("cannot open the window: {}", SDL_GetError()));
  m_renderer = SDL_CreateRenderer(m_window, -1, 0);
  if (!m_renderer) m_renderer = SDL_CreateRenderer(m_window, -1, SDL_RENDERER_SOFTWARE);
  if (!m_renderer) throw Error(fmt::format("cannot draw in the window: {}", SDL_GetError()));
}

SdlWindow::~SdlWindow() {
  if (m_texture) SDL_DestroyTexture(m_texture);
  if (m_renderer) SDL_DestroyRenderer(m_renderer);
  if (m_window) SDL_DestroyWindow(m_window);
}

void SdlWindow::resize_for(u32 width, u32 height) {
  if (m_texture) SDL_DestroyTexture(m_texture);
  m_texture = SDL_CreateTexture(m_renderer, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING, static_cast<int>(width),
                                static_cast<int>(height));
  m_width = width;
  m_height = height;
  SDL_RenderSetLogicalSize(m_renderer, static_cast<int>(width), static_cast<int>(height));
  const u32 scale = std::max<u32>(1, std::min((kMinWindowWidth + width - 1) / width, (kMinWindowHeight + height - 1) / height));
  SDL_SetWindowSize(m_window, static_cast<int>(width * scale), static_cast<int>(height * scale));
}

void SdlWindow::present(const VgaImage& image) {
  if (image.width == 0 || image.height == 0) return;
  if (image.width != m_width || image.height != m_height || !m_texture) resize_for(image.width, image.height);
  if (!m_texture) return;
  SDL_UpdateTexture(m_texture, nullptr, image.pixels.data(), static_cast<int>(image.width * sizeof(u32)));
  SDL_SetRenderDrawColor(m_renderer, 0, 0, 0, 255);
  SDL_RenderClear(m_renderer);
  SDL_RenderCopy(m_renderer, m_texture, nullptr, nullptr);
  SDL_RenderPresent(m_renderer);
}

void SdlWindow::set_title(const std::string& title) {
  if (title == m_title) return;
  m_title = title;
  SDL_SetWindowTitle(m_window, title.c_str());
}

}  // namespace tern
