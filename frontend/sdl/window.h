// The SDL2 window: shows VGA images scaled to the window with the aspect ratio kept (letterboxed,
// nearest-neighbour so text stays sharp), resizes itself when the guest changes mode, and carries
// the title the run loop composes.
#pragma once

#include <SDL.h>

#include <string>

#include "devices/vga_render.h"

namespace tern {

class SdlWindow {
 public:
  // Needs SDL's video subsystem initialised. Throws Error when the window cannot be created.
  SdlWindow();
  ~SdlWindow();
  SdlWindow(const SdlWindow&) = delete;
  SdlWindow& operator=(const SdlWindow&) = delete;

  void present(const VgaImage& image);
  void set_title(const std::string& title);
  u32 id() const { return SDL_GetWindowID(m_window); }
  SDL_Window* handle() { return m_window; }

 private:
  void resize_for(u32 width, u32 height);

  SDL_Window* m_window = nullptr;
  SDL_Renderer* m_renderer = nullptr;
  SDL_Texture* m_texture = nullptr;
  u32 m_width = 0;  // size of the texture (the guest picture)
  u32 m_height = 0;
  std::string m_title;
};

}  // namespace tern
