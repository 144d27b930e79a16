#include "CCancel.h"

int tp_cancel_flag = 0;
