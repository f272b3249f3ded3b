/*
    Payment skimmers stored in the database: Magento's CMS blocks and the
    "Miscellaneous HTML" and footer settings in core_config_data are where
    Magecart injections live, because every checkout page prints them.

    Clean store content does not read card fields, and no clean design
    setting opens a WebSocket to run what comes back.
*/

rule db_js_payment_skimmer
{
    meta:
        description = "Script that reads payment-card fields on the checkout page and sends them to a server: a Magecart-style skimmer."
        severity = "critical"
        family = "skimmer"
    strings:
        $card_field = /(cc_number|cc-number|ccnumber|card_number|cardnumber|card-number|cc_cid|cc_exp|cvv2?\b|\bcvc\b|securitycode|payment\[cc_)/ nocase
        $checkout = /(onestepcheckout|firecheckout|checkout)/ nocase
        $send_image = /new\s{1,3}Image\s{0,3}\(/
        $send_request = /(XMLHttpRequest|navigator\.sendBeacon|new\s{1,3}WebSocket|\bfetch\s{0,3}\(|(\$|jQuery)\.(ajax|post)\s{0,3}\()/
        $encode = /\b(btoa|atob|JSON\.stringify|encodeURIComponent)\s{0,3}\(/
    condition:
        $card_field and $checkout and ($send_image or $send_request) and $encode
}

rule db_js_websocket_loader
{
    meta:
        description = "Script that opens a WebSocket and runs the code it receives: a skimmer loader that keeps its payload off the page."
        severity = "critical"
        family = "skimmer"
    strings:
        $socket = /new\s{1,3}WebSocket\s{0,3}\(/
        $run = /(\beval\s{0,3}\(|new\s{1,3}Function\s{0,3}\(|\bFunction\s{0,3}\(\s{0,3}[A-Za-z_$][\w$.]{0,30}\s{0,3}\)\s{0,3}\()/
        $decode = /\b(atob|fromCharCode)\b/
    condition:
        $socket and $run and $decode
}
