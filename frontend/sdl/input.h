// Keyboard and mouse from the window to the guest. Keys go to the PS/2 keyboard by position;
// a click grabs the mouse (relative motion to the PS/2 mouse) and Ctrl+Alt+G releases it.
// Host combinations, with Ctrl+Alt held: G releases the mouse, End sends Ctrl+Alt+Del (the
// host keeps the real one), P pauses and resumes, S asks for a save state.
#pragma once

#include <SDL.h>

#include <array>
#include <functional>
#include <utility>

#include "frontend/sdl/keymap.h"

namespace tern {

// Where input goes: the board's PS/2 keyboard and mouse. Unset functions drop the input.
struct GuestInput {
  std::function<void(const Ps2Key& key, bool pressed)> key;
  // Window terms: dx right, dy down, dz wheel towards the user; buttons: 1 left, 2 right, 4 middle.
  std::function<void(int dx, int dy, int dz, u8 buttons)> mouse;
};

class WindowInput {
 public:
  WindowInput(SDL_Window* window, GuestInput guest) : m_window(window), m_guest(std::move(guest)) {}

  // Handles one SDL event; false when it is not an input event.
  bool handle(const SDL_Event& event);

  bool grabbed() const { return m_grabbed; }
  bool paused() const { return m_paused; }
  // True once after Ctrl+Alt+S: the runner saves the machine's state between two slices.
  bool take_save_request() { return std::exchange(m_save_requested, false); }

 private:
  void key_event(const SDL_KeyboardEvent& event);
  bool hotkey(SDL_Scancode scancode);
  void set_grab(bool grab);
  // Focus lost: the guest sees every key it holds released, and the mouse is let go.
  void release_all();
  u8 buttons() const;

  SDL_Window* m_window;
  GuestInput m_guest;
  bool m_grabbed = false;
  bool m_paused = false;
  bool m_save_requested = false;
  std::array<bool, SDL_NUM_SCANCODES> m_down{};  // keys the guest has seen pressed
};

}  // namespace tern
