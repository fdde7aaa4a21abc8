// PEGTL grammar of an access map line: a makemap line (grammar/maps/makemap.hpp) whose key may
// start with a tag (`Connect:`, `TLS_Srv:`, ... KB §1.6) and whose value starts with a keyword
// (OK, RELAY, REJECT, ERROR:..., a number, ...). Tags and keywords are case-insensitive:
// makemap folds keys to lower case and sendmail's rulesets compare tokens without case.
#pragma once

#include "grammar/maps/makemap.hpp"

namespace smaudit::grammar::access {

namespace pegtl = tao::pegtl;
using makemap::blank;
using makemap::not_blank;

// A tag is its name and a ':'. Each alternative carries its own ':' so that `TLS_Srv` does not
// stop `TLS_Srv_Features:` from matching.
template <typename Name> struct tag : pegtl::seq<Name, pegtl::one<':'>> {};
struct tag_connect : tag<TAO_PEGTL_ISTRING("Connect")> {};
struct tag_from : tag<TAO_PEGTL_ISTRING("From")> {};
struct tag_to : tag<TAO_PEGTL_ISTRING("To")> {};
struct tag_spam : tag<TAO_PEGTL_ISTRING("Spam")> {};
struct tag_greet_pause : tag<TAO_PEGTL_ISTRING("GreetPause")> {};
struct tag_client_rate : tag<TAO_PEGTL_ISTRING("ClientRate")> {};
struct tag_client_conn : tag<TAO_PEGTL_ISTRING("ClientConn")> {};
struct tag_qgrp : tag<TAO_PEGTL_ISTRING("QGRP")> {};
struct tag_srv_features : tag<TAO_PEGTL_ISTRING("Srv_Features")> {};
struct tag_clt_features : tag<TAO_PEGTL_ISTRING("Clt_Features")> {};
struct tag_try_tls : tag<TAO_PEGTL_ISTRING("Try_TLS")> {};
struct tag_tls_clt : tag<TAO_PEGTL_ISTRING("TLS_Clt")> {};
struct tag_tls_srv : tag<TAO_PEGTL_ISTRING("TLS_Srv")> {};
struct tag_tls_rcpt : tag<TAO_PEGTL_ISTRING("TLS_Rcpt")> {};
struct tag_tls_srv_features : tag<TAO_PEGTL_ISTRING("TLS_Srv_Features")> {};
struct tag_tls_clt_features : tag<TAO_PEGTL_ISTRING("TLS_Clt_Features")> {};
struct tag_cert_issuer : tag<TAO_PEGTL_ISTRING("CERTISSUER")> {};
struct tag_cert_subject : tag<TAO_PEGTL_ISTRING("CERTSUBJECT")> {};
struct tag_auth_info : tag<TAO_PEGTL_ISTRING("AuthInfo")> {};
struct tag_compat : tag<TAO_PEGTL_ISTRING("Compat")> {};
// The alternatives that start with the letter L, tried only when the key does: a million-line
// map tried all twenty tags on every key. No two tags can both match (each ends in its ':'), so
// the grouping does not change which one does.
template <char L, typename... Rules>
struct starting_with : pegtl::seq<pegtl::at<pegtl::istring<L>>, pegtl::sor<Rules...>> {};
struct known_tag
    : pegtl::sor<starting_with<'c', tag_connect, tag_client_rate, tag_client_conn, tag_clt_features,
                               tag_cert_issuer, tag_cert_subject, tag_compat>,
                 starting_with<'f', tag_from>,
                 starting_with<'t', tag_to, tag_try_tls, tag_tls_clt, tag_tls_srv, tag_tls_rcpt,
                               tag_tls_srv_features, tag_tls_clt_features>,
                 starting_with<'s', tag_spam, tag_srv_features>,
                 starting_with<'g', tag_greet_pause>, starting_with<'q', tag_qgrp>,
                 starting_with<'a', tag_auth_info>> {};

// The rest of the key: a name, an address, an IP prefix, `IPv6:...`; empty after a tag means
// the tag's default entry (`GreetPause:`).
struct bare_key : makemap::non_blank_run<false> {};
struct key : pegtl::seq<pegtl::opt<known_tag>, bare_key> {};

// Value keywords: a word ends at a blank, a quote or the end of the line.
struct word_end : pegtl::at<pegtl::sor<blank, pegtl::one<'"'>, pegtl::eof>> {};
template <typename Word> struct keyword : pegtl::seq<Word, word_end> {};
struct value_ok : keyword<TAO_PEGTL_ISTRING("OK")> {};
struct value_relay : keyword<TAO_PEGTL_ISTRING("RELAY")> {};
struct value_reject : keyword<TAO_PEGTL_ISTRING("REJECT")> {};
struct value_discard : keyword<TAO_PEGTL_ISTRING("DISCARD")> {};
struct value_skip : keyword<TAO_PEGTL_ISTRING("SKIP")> {};
struct value_friend : keyword<TAO_PEGTL_ISTRING("FRIEND")> {};
struct value_hater : keyword<TAO_PEGTL_ISTRING("HATER")> {};
struct value_error : pegtl::seq<TAO_PEGTL_ISTRING("ERROR"), pegtl::one<':'>> {};
struct value_quarantine : pegtl::seq<TAO_PEGTL_ISTRING("QUARANTINE"), pegtl::one<':'>> {};
struct value_temp : pegtl::seq<TAO_PEGTL_ISTRING("TEMP"), pegtl::one<':'>> {};
// `550 Go away`: the pre-ERROR: form, an SMTP code and text.
struct value_legacy_error : pegtl::seq<pegtl::rep<3, pegtl::digit>, pegtl::plus<blank>> {};
struct value_number : pegtl::seq<pegtl::plus<pegtl::digit>, pegtl::star<blank>, pegtl::eof> {};
// Grouped by first letter as the tags are; within a group in the order that decides between
// them (`550 ` is a legacy error, `5000` a number).
struct value_kind
    : pegtl::sor<
          starting_with<'r', value_relay, value_reject>, starting_with<'o', value_ok>,
          starting_with<'e', value_error>, starting_with<'d', value_discard>,
          starting_with<'s', value_skip>, starting_with<'q', value_quarantine>,
          starting_with<'t', value_temp>, starting_with<'f', value_friend>,
          starting_with<'h', value_hater>,
          pegtl::seq<pegtl::at<pegtl::digit>, pegtl::sor<value_legacy_error, value_number>>> {};
struct open_quote : pegtl::one<'"'> {};
struct value : pegtl::seq<pegtl::at<pegtl::any>, pegtl::opt<pegtl::opt<open_quote>, value_kind>,
                          makemap::rest> {};

struct line : makemap::line<key, value> {};

} // namespace smaudit::grammar::access
