#include "frontend/sdl/input.h"

namespace tern {

bool WindowInput::handle(const SDL_Event& event) {
  switch (event.type) {
    case SDL_KEYDOWN:
    case SDL_KEYUP:
      key_event(event.key);
      return true;
    case SDL_MOUSEBUTTONDOWN:
      if (!m_grabbed) {
        set_grab(true);  // this click only grabs
        return true;
      }
      [[fallthrough]];
    case SDL_MOUSEBUTTONUP:
      if (m_grabbed && m_guest.mouse) m_guest.mouse(0, 0, 0, buttons());
      return true;
    case SDL_MOUSEMOTION:
      if (m_grabbed && m_guest.mouse) m_guest.mouse(event.motion.xrel, event.motion.yrel, 0, buttons());
      return true;
    case SDL_MOUSEWHEEL:
      if (m_grabbed && m_guest.mouse) m_guest.mouse(0, 0, -event.wheel.y, buttons());
      return true;
    case SDL_WINDOWEVENT:
      if (event.window.event != SDL_WINDOWEVENT_FOCUS_LOST) return false;
      release_all();
      return true;
    default:
      return false;
  }
}

void WindowInput::key_event(const SDL_KeyboardEvent& event) {
  const bool pressed = event.type == SDL_KEYDOWN;
  const SDL_Keymod mods = SDL_GetModState();
  if (pressed && (mods & KMOD_CTRL) && (mods & KMOD_ALT) && hotkey(event.keysym.scancode)) return;
  const Ps2Key key = ps2_key(event.keysym.scancode);
  if (key.set1 == 0 || !m_guest.key) return;
  // Host auto-repeat arrives as repeated presses, as a PC keyboard's typematic repeat would.
  m_guest.key(key, pressed);
  m_down[event.keysym.scancode] = pressed;
}

void WindowInput::release_all() {
  for (size_t sc = 0; sc < m_down.size(); ++sc) {
    if (!m_down[sc]) continue;
    m_down[sc] = false;
    if (m_guest.key) m_guest.key(ps2_key(static_cast<SDL_Scancode>(sc)), false);
  }
  if (m_grabbed) set_grab(false);
}

bool WindowInput::hotkey(SDL_Scancode scancode) {
  switch (scancode) {
    case SDL_SCANCODE_G:
      set_grab(false);
      return true;
    case SDL_SCANCODE_END:
      // Ctrl and Alt are already down in the guest: add Delete.
      if (m_guest.key) {
        m_guest.key(ps2_key(SDL_SCANCODE_DELETE), true);
        m_guest.key(ps2_key(SDL_SCANCODE_DELETE), false);
      }
      return true;
    case SDL_SCANCODE_P:
      m_paused = !m_paused;
      return true;
    case SDL_SCANCODE_S:
      m_save_requested = true;
      return true;
    default:
      return false;
  }
}

void WindowInput::set_grab(bool grab) {
  m_grabbed = grab;
  SDL_SetRelativeMouseMode(grab ? SDL_TRUE : SDL_FALSE);
  SDL_SetWindowGrab(m_window, grab ? SDL_TRUE : SDL_FALSE);
}

u8 WindowInput::buttons() const {
  const u32 state = SDL_GetMouseState(nullptr, nullptr);
  u8 b = 0;
  if (state & SDL_BUTTON(SDL_BUTTON_LEFT)) b |= 1;
  if (state & SDL_BUTTON(SDL_BUTTON_RIGHT)) b |= 2;
  if (state & SDL_BUTTON(SDL_BUTTON_MIDDLE)) b |= 4;
  return b;
}

}  // namespace tern
