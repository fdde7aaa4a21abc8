// Every rule object, one per file under rules/<pack>/<ID>.cpp. Listed in rules/registry.cpp.
#pragma once

#include "engine/rule.hpp"

namespace smaudit::rules {

// keep sorted by ID
extern const Rule kSM_C001;
extern const Rule kSM_C002;
extern const Rule kSM_C003;
extern const Rule kSM_C004;
extern const Rule kSM_C005;
extern const Rule kSM_C006;
extern const Rule kSM_C010;
extern const Rule kSM_P001;
extern const Rule kSM_P002;
extern const Rule kSM_P003;
extern const Rule kSM_P004;
extern const Rule kSM_P005;
extern const Rule kSM_P006;
extern const Rule kSM_P007;
extern const Rule kSM_P009;
extern const Rule kSM_P010;
extern const Rule kSM_P011;
extern const Rule kSM_P012;
extern const Rule kSM_P013;
extern const Rule kSM_P014;
extern const Rule kSM_P015;
extern const Rule kSM_P016;
extern const Rule kSM_P017;
extern const Rule kSM_P018;
extern const Rule kSM_P019;
extern const Rule kSM_P021;
extern const Rule kSM_P022;
extern const Rule kSM_P023;
extern const Rule kSM_P024;
extern const Rule kSM_P030;
extern const Rule kSM_P035;
extern const Rule kSM_S001;
extern const Rule kSM_S002;
extern const Rule kSM_S003;
extern const Rule kSM_S004;
extern const Rule kSM_S005;
extern const Rule kSM_S006;
extern const Rule kSM_S007;
extern const Rule kSM_S008;
extern const Rule kSM_S009;
extern const Rule kSM_S010;
extern const Rule kSM_S011;
extern const Rule kSM_S012;
extern const Rule kSM_S013;
extern const Rule kSM_S014;
extern const Rule kSM_S015;
extern const Rule kSM_S016;
extern const Rule kSM_S017;
extern const Rule kSM_S018;
extern const Rule kSM_S020;
extern const Rule kSM_S022;
extern const Rule kSM_S023;
extern const Rule kSM_S041;
extern const Rule kSM_S043;
extern const Rule kSM_S044;
extern const Rule kSM_S045;
extern const Rule kSM_S046;
extern const Rule kSM_S047;
extern const Rule kSM_S049;
extern const Rule kSM_S050;
extern const Rule kSM_S051;
extern const Rule kSM_S052;
extern const Rule kSM_S053;
extern const Rule kSM_S054;
extern const Rule kSM_S055;
extern const Rule kSM_S057;
extern const Rule kSM_S058;
extern const Rule kSM_S059;
extern const Rule kSM_S060;
extern const Rule kSM_S061;
extern const Rule kSM_S062;
extern const Rule kSM_S063;
extern const Rule kSM_S064;
} // namespace smaudit::rules
