#include "rules/hardening_extras.hpp"

#include <algorithm>

namespace smaudit {

const std::vector<HardeningExtra>& hardening_extras() {
    // One row per Appendix A line (or group of lines) and the rule that reports it missing.
    // Rules of the list that a build does not have yet simply never report.
    static const std::vector<HardeningExtra> extras = {
        {"SM-P003", "define(`confMAX_DAEMON_CHILDREN', `100')"},
        {"SM-P004", "define(`confCONNECTION_RATE_THROTTLE', `10')"},
        {"SM-P005", "FEATURE(`conncontrol', ...), FEATURE(`ratecontrol', ...)"},
        {"SM-P007", "define(`confTO_IDENT', `0')"},
        {"SM-P008", "FEATURE(`greet_pause', `2000')"},
        {"SM-P009", "define(`confTO_COMMAND', `5m')"},
        {"SM-S014", "FEATURE(`dnsbl', ...), greet_pause, rate controls"},
        {"SM-S015", "define(`confBAD_RCPT_THROTTLE', `3')"},
        {"SM-S016", "FEATURE(`nouucp', `reject'), FEATURE(`nopercenthack', `reject')"},
        {"SM-S020", "define(`confSMTP_LOGIN_MSG', `$j')"},
        {"SM-S021", "define(`HELP_FILE', `/etc/mail/helpfile.empty')"},
        {"SM-S022", "confPRIVACY_FLAGS: goaway (noexpn)"},
        {"SM-S023", "confPRIVACY_FLAGS: goaway (novrfy)"},
        {"SM-S024", "confPRIVACY_FLAGS: goaway (noverb)"},
        {"SM-S025", "confPRIVACY_FLAGS: noetrn"},
        {"SM-S026", "confPRIVACY_FLAGS: goaway (needmailhelo)"},
        {"SM-S027", "confPRIVACY_FLAGS: goaway (authwarnings)"},
        {"SM-S028", "confPRIVACY_FLAGS: restrictmailq, restrictqrun, restrictexpand"},
        {"SM-S029", "confPRIVACY_FLAGS: noreceipts, nobodyreturn, noactualrecipient"},
        {"SM-S031", "define(`confTO_IDENT', `0')"},
        {"SM-S034", "confSERVER_CERT, confSERVER_KEY, confCACERT_PATH (STARTTLS offered)"},
        {"SM-S036", "confSERVER_SSL_OPTIONS, confCIPHER_LIST"},
        {"SM-S041", "FEATURE(`smrsh')"},
        {"SM-S053", "define(`confSAFE_FILE_ENV', `/var/spool/mailfiles')"},
        {"SM-S057", "define(`confLOG_LEVEL', `9')"},
        {"SM-S058", "confMAX_MESSAGE_SIZE, confMAX_RCPTS_PER_MESSAGE, confMAX_MIME_HEADER_LENGTH"},
    };
    return extras;
}

bool is_hardening_extra(std::string_view rule_id) {
    const auto& extras = hardening_extras();
    return std::any_of(extras.begin(), extras.end(),
                       [&](const HardeningExtra& extra) { return extra.rule_id == rule_id; });
}

} // namespace smaudit
