/*
    Injected iframes: pages loaded invisibly, for drive-by downloads, ad
    fraud or to count visitors for a traffic seller.

    Clean embeds (YouTube, Vimeo, maps, forms) are visible. The one hidden
    iframe that is clean is Google Tag Manager's <noscript> fallback, which
    each rule below leaves out by counting it.
*/

rule db_hidden_iframe
{
    meta:
        description = "An <iframe> made invisible (zero or one pixel, display:none, visibility:hidden, pushed off-screen, or wrapped in a hidden block): it loads a page visitors never see."
        severity = "high"
        family = "injected-iframe"
    strings:
        $tiny = /<iframe\s[^>]{0,400}\b(width|height)\s{0,3}=\s{0,3}["']?[01](px)?["'\s>\/]/ nocase
        $styled = /<iframe\s[^>]{0,400}style\s{0,3}=\s{0,3}["'][^"']{0,200}(display\s{0,3}:\s{0,3}none|visibility\s{0,3}:\s{0,3}hidden|(left|top)\s{0,3}:\s{0,3}-\d{3,5}px|(width|height)\s{0,3}:\s{0,3}[01]px)/ nocase
        $wrapped = /<(div|span|p)\s[^>]{0,100}style\s{0,3}=\s{0,3}["'][^"']{0,120}(display\s{0,3}:\s{0,3}none|visibility\s{0,3}:\s{0,3}hidden|(left|top)\s{0,3}:\s{0,3}-\d{3,5}px)[^>]{0,100}>\s{0,20}<iframe\s/ nocase
        $tag_manager = /<iframe\s[^>]{0,400}googletagmanager\.com\/ns\.html/ nocase
    condition:
        #tiny > #tag_manager or #styled > #tag_manager or $wrapped
}

rule db_iframe_from_suspicious_host
{
    meta:
        description = "An <iframe> loading from a bare IP address or a top-level domain favoured by malware drop sites."
        severity = "high"
        family = "injected-iframe"
    strings:
        $odd_tld = /<iframe\s[^>]{0,300}src\s{0,3}=\s{0,3}["']?(https?:)?\/\/[a-z0-9.-]{1,80}\.(su|pw|tk|ml|ga|cf|gq|top|xyz|click|link|bid|win|loan|kim|work|ws|icu|cyou|buzz|rest|monster|sbs|cfd|quest)[\/:"'\s>?]/ nocase
        $ip_host = /<iframe\s[^>]{0,300}src\s{0,3}=\s{0,3}["']?(https?:)?\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}[\/:"'\s>?]/ nocase
    condition:
        any of them
}
