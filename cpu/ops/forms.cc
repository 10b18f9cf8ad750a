#include "cpu/ops/forms.h"

#include <initializer_list>

namespace tern {

Handler form_handler(const DecodedInsn& d) {
  for (Handler (*family)(const DecodedInsn&) : {alu_form_handler, data_form_handler, shift_form_handler,
                                                    stack_form_handler, muldiv_form_handler, control_form_handler})
    if (Handler h = family(d)) return h;
  return op_info(d.op).handler;
}

}  // namespace tern
