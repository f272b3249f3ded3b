/*
    Scripts injected into database values: posts, widgets, theme options,
    CMS blocks and configuration.

    Clean content embeds scripts by address (a tweet, a form, an analytics
    tag). It does not decode its own code at run time, assemble a script's
    address from character codes, or run code from an event handler.
*/

rule db_script_encoded_loader
{
    meta:
        description = "JavaScript that decodes hidden code and runs or writes it (eval of atob, unescape or fromCharCode, a hex-escaped <script>, a base64 data: script): the usual shape of an injected loader."
        severity = "high"
        family = "injected-script"
    strings:
        $eval_decode = /\beval\s{0,3}\(\s{0,3}(window\.)?(atob|unescape|decodeURIComponent|String\.fromCharCode)\s{0,3}\(/ nocase
        $write_decode = /document\.write(ln)?\s{0,3}\(\s{0,3}(unescape|atob|decodeURIComponent|String\.fromCharCode)\s{0,3}\(/ nocase
        $function_decode = /new\s{1,3}Function\s{0,3}\(\s{0,3}(atob|unescape|decodeURIComponent|String\.fromCharCode)\s{0,3}\(/
        $src_decode = /\.src\s{0,3}=\s{0,3}(window\.)?(atob|unescape|String\.fromCharCode)\s{0,3}\(/
        $hex_script = /\\x3[cC]\\x73\\x63\\x72\\x69\\x70\\x74/
        $unicode_script = /\\u003[cC]script/ nocase
        $data_script = /<script[^>]{0,200}src\s{0,3}=\s{0,3}["']?data:(text|application)\/(x-)?javascript;base64,/ nocase
        // Dean Edwards' packer, the favourite wrapper of injected scripts.
        $packer = /eval\s{0,3}\(\s{0,3}function\s{0,3}\(\s{0,3}p\s{0,3},\s{0,3}a\s{0,3},\s{0,3}c\s{0,3},\s{0,3}k\s{0,3},\s{0,3}e\s{0,3},\s{0,3}[dr]\s{0,3}\)/
    condition:
        any of them
}

rule db_script_charcode_payload
{
    meta:
        description = "A long list of character codes turned into text at run time (String.fromCharCode), or one that spells out a web address: how injected loaders hide where they load from."
        severity = "high"
        family = "obfuscated-js"
    strings:
        $long_list = /String\.fromCharCode\s{0,3}\(\s{0,3}(\d{1,3}\s{0,3},\s{0,3}){24}/
        $from_char_code = "fromCharCode"
        // 104,116,116,112 is "http".
        $http_codes = /\b104\s{0,3},\s{0,3}116\s{0,3},\s{0,3}116\s{0,3},\s{0,3}112\b/
    condition:
        $long_list or ($from_char_code and $http_codes)
}

rule db_script_dynamic_loader
{
    meta:
        description = "Creates a <script> element whose address is assembled at run time from character codes, base64, hex escapes or a reversed string, to hide where it loads from."
        severity = "high"
        family = "injected-script"
    strings:
        $create = /createElement\s{0,3}\(\s{0,3}["']script["']\s{0,3}\)/ nocase
        $hide_charcode = /String\.fromCharCode\s{0,3}\(/
        $hide_base64 = /\batob\s{0,3}\(/
        $hide_reverse = /\.split\s{0,3}\(\s{0,3}(""|'')\s{0,3}\)\s{0,3}\.reverse\s{0,3}\(\s{0,3}\)\s{0,3}\.join/
        $hide_hex = /\\x[0-9a-fA-F]{2}\\x[0-9a-fA-F]{2}\\x[0-9a-fA-F]{2}\\x[0-9a-fA-F]{2}/
    condition:
        $create and any of ($hide_*)
}

rule db_script_from_suspicious_host
{
    meta:
        description = "Loads a script from a bare IP address, from a top-level domain favoured by malware drop sites, or from a look-alike of the jQuery CDN."
        severity = "high"
        family = "injected-script"
    strings:
        $odd_tld = /<script[^>]{0,200}src\s{0,3}=\s{0,3}["']?(https?:)?\/\/[a-z0-9.-]{1,80}\.(su|pw|tk|ml|ga|cf|gq|top|xyz|click|link|bid|win|loan|kim|work|ws|icu|cyou|buzz|rest|monster|sbs|cfd|quest)[\/:"'\s>?]/ nocase
        $ip_host = /<script[^>]{0,200}src\s{0,3}=\s{0,3}["']?(https?:)?\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}[\/:"'\s>?]/ nocase
        // jQuery is served from code.jquery.com; "jquery-cdn.com" and
        // "cdnjquery.net" are impostors.
        $fake_jquery = /<script[^>]{0,200}src\s{0,3}=\s{0,3}["']?(https?:)?\/\/([a-z0-9-]{1,40}\.){0,3}([a-z0-9-]{1,20}jquery[a-z0-9-]{0,20}|jquery[a-z0-9-]{1,20})\.[a-z]{2,10}[\/:"'\s>?]/ nocase
    condition:
        any of them
}

rule db_obfuscator_io_javascript
{
    meta:
        description = "JavaScript run through an obfuscator (many _0x-prefixed hex names); clean embeds are not obfuscated this way."
        severity = "high"
        family = "obfuscated-js"
    strings:
        $hex_name = /\b_0x[a-f0-9]{4,6}\b/
    condition:
        #hex_name >= 12
}

rule db_event_handler_payload
{
    meta:
        description = "An HTML event handler (onerror, onload, onmouseover) that decodes or loads code: script injection without a <script> tag."
        severity = "high"
        family = "injected-script"
    strings:
        $handler = /\son(error|load|mouseover|focus|animationstart|pageshow)\s{0,3}=\s{0,3}["']?[^>]{0,300}(eval\s{0,3}\(|atob\s{0,3}\(|fromCharCode|createElement|document\.write|\.src\s{0,3}=|import\s{0,3}\()/ nocase
    condition:
        $handler
}

rule db_markup_in_title
{
    meta:
        description = "A title holds a <script> or <iframe> tag or an event-handler attribute; titles are plain text, so this is injected."
        severity = "high"
        family = "injected-script"
    strings:
        $script = /<script[\s>\/]/ nocase
        $iframe = /<iframe[\s>\/]/ nocase
        $handler = /<[a-z]{1,10}\s[^>]{0,100}\son(error|load|mouseover|focus)\s{0,3}=/ nocase
    condition:
        field == "title" and any of them
}

rule db_cloaked_redirect
{
    meta:
        description = "Script that sends visitors elsewhere only when they come from a search engine or a phone, or to an address it decodes first: a redirect hack."
        severity = "high"
        family = "redirect"
    strings:
        $location = /(window|document|top|self)\.location(\.href)?\s{0,3}(=[^=]|\.replace\s{0,3}\(|\.assign\s{0,3}\()/
        $referrer = "document.referrer"
        $engine = /(google|bing|yahoo|yandex|baidu|duckduckgo)\\?\./ nocase
        $user_agent = "navigator.userAgent"
        $mobile = /(android|iphone|ipad|mobile)/ nocase
        $decode = /\b(atob|String\.fromCharCode|unescape)\s{0,3}\(/
    condition:
        $location and (($referrer and $engine) or ($user_agent and $mobile) or $decode)
}
