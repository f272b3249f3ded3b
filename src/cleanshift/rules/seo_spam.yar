/*
    SEO spam: content injected to sell links or rank pharma and casino pages
    through the hacked site, shown to search engines and hidden from people.

    Clean themes may hide elements with display:none, but not blocks of
    links stuffed with pharma or casino keywords, and clean PHP does not
    serve different pages to search-engine crawlers.
*/

private rule seo_php_content
{
    strings:
        $tag_long = "<?php" nocase
        $tag_echo = "<?="
        $tag_short = /<\?[\s$@(a-wyzA-WYZ_]/
        $superglobal = /\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\s{0,3}\[/
    condition:
        any of them
}

rule seo_hidden_spam_links
{
    meta:
        description = "Hidden block of links with pharma, casino, loan or replica keywords, injected to boost spam sites in search results."
        severity = "high"
        family = "seo-spam"
        type = "spam"
    strings:
        $hidden = /<(div|span|p|ul)[^>\n]{0,100}style\s{0,3}=\s{0,3}["'][^"'\n]{0,60}(display\s{0,3}:\s{0,3}none|visibility\s{0,3}:\s{0,3}hidden|(left|top)\s{0,3}:\s{0,3}-[0-9]{3,5}px|font-size\s{0,3}:\s{0,3}[01]px|height\s{0,3}:\s{0,3}0)/ nocase
        $kw = /<a\s[^>\n]{0,200}>[^<\n]{0,80}(viagra|cialis|levitra|kamagra|tadalafil|sildenafil|casino|poker|payday loan|replica (watch|bag)|porn|xanax|tramadol|phentermine|essay writing|slot online|judi online)/ nocase
    condition:
        $hidden and #kw >= 3
}

rule seo_search_engine_cloaking
{
    meta:
        description = "PHP that checks whether the visitor is a search-engine crawler and serves it different content or a redirect (cloaking)."
        severity = "high"
        family = "seo-spam"
        type = "spam"
    strings:
        $ua = /\$_SERVER\s{0,3}\[\s{0,3}["']HTTP_USER_AGENT["']\s{0,3}\]/
        $bots = /(googlebot|bingbot|baiduspider|yandex|slurp|msnbot)/ nocase
        $bot_list = /["']?(google|googlebot)["']?\s{0,3}[,|]\s{0,3}["']?(bing|yahoo|baidu|msn|slurp|yandex)/ nocase
        $ref = /\$_SERVER\s{0,3}\[\s{0,3}["']HTTP_REFERER["']\s{0,3}\]/
        $fetch_remote = /\b(file_get_contents|curl_init|fopen|readfile)\s{0,3}\(\s{0,3}["']https?:\/\//
        $fetch_var = /\b(file_get_contents|curl_setopt)\s{0,3}\([^;\n]{0,40}\$[a-z_]\w{0,30}/ nocase
        $redirect = /header\s{0,3}\(\s{0,3}["']Location:\s{0,3}https?:\/\//
        $echo_remote = /\becho\s{1,3}(file_get_contents|\$\w{1,30})/
        $run = /\b(eval|assert)\s{0,3}\(/
    condition:
        seo_php_content and $ua and ($bots or $bot_list) and filesize < 100KB and
        (
            ($fetch_remote and ($echo_remote or $redirect)) or
            ($ref and $redirect) or
            ($run and $fetch_var)
        )
}

rule seo_remote_controlled_injector
{
    meta:
        description = "PHP that fingerprints visitors (user agent, referrer, cookies) and fetches content to inject from servers given as raw IP addresses, as link-injection and doorway kits do."
        severity = "high"
        family = "seo-spam"
        type = "spam"
    strings:
        $raw_ip_php = /["']https?:\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\/[^"'\s]{0,80}\.php["']/
        $ua = /\$_SERVER\s{0,3}\[\s{0,3}["']HTTP_USER_AGENT["']\s{0,3}\]/
        $ref = /\$_SERVER\s{0,3}\[\s{0,3}["']HTTP_REFERER["']\s{0,3}\]/
        $fetch = /\b(curl_exec|file_get_contents|fsockopen|stream_context_create)\s{0,3}\(/
        $quiet = /error_reporting\s{0,3}\(\s{0,3}0\s{0,3}\)/
    condition:
        seo_php_content and $raw_ip_php and $ua and $ref and $fetch and $quiet
}
