/*
    Apache configuration abuse: .htaccess and .user.ini files that send
    visitors from search engines to spam sites, make images or text files
    run as PHP, or load a backdoor into every PHP request.

    The rules read the directives themselves, so they also catch PHP code
    that writes such lines into a .htaccess. WordPress's own rewrite block
    rewrites to index.php on the same host and sets no handler.
*/

rule htaccess_search_engine_redirect
{
    meta:
        description = "Apache rewrite rules that send visitors arriving from search engines (or crawlers) to an outside site."
        severity = "high"
        family = "htaccess"
    strings:
        $cond = /RewriteCond\s{1,10}%\{HTTP_(REFERER|USER_AGENT)\}[^\n]{0,200}(google|bing|yahoo|yandex|baidu|aol|msn|ask|facebook|twitter)/ nocase
        $rule = /RewriteRule\s{1,10}[^\n]{1,200}\s(https?:)?\/\/[^\s]{4,200}/ nocase
    condition:
        $cond and $rule
}

rule htaccess_php_handler_for_static_files
{
    meta:
        description = "Makes Apache run images, text or other static files as PHP, so that a planted 'image' can be executed."
        severity = "critical"
        family = "htaccess"
    strings:
        $add = /(AddHandler|AddType)\s{1,10}application\/x-httpd-php[0-9a-z-]{0,10}\s[^\n]{0,80}\.(jpe?g|gif|png|bmp|ico|txt|htaccess|css|js|svg|pdf|zip|log)\b/ nocase
        $set = /<Files(Match)?\s[^>\n]{0,100}(jpe?g|gif|png|ico|txt|htaccess)[^>\n]{0,40}>\s{0,10}SetHandler\s{1,10}application\/x-httpd-php/ nocase
        $set_any = /SetHandler\s{1,10}application\/x-httpd-php[0-9a-z-]{0,10}\s{0,5}(\n|$)/ nocase
        $files_block = /<Files(Match)?\s/ nocase
    condition:
        $add or $set or ($set_any and not $files_block and filesize < 2KB)
}

rule htaccess_auto_prepend_backdoor
{
    meta:
        description = "Configures PHP to load a file before or after every script (auto_prepend_file / auto_append_file), a way to run a backdoor on each request."
        severity = "high"
        family = "htaccess"
    strings:
        $apache = /php_value\s{1,10}auto_(prepend|append)_file\s{1,10}["']?[^\s"']{2,200}/ nocase
        $ini = /(^|\n)\s{0,5}auto_(prepend|append)_file\s{0,5}=\s{0,5}["']?[^\s"';]{2,200}/ nocase
        $none = /auto_(prepend|append)_file\s{0,5}=?\s{1,5}["']?none/ nocase
    condition:
        ($apache and not $none) or
        ($ini and not $none and (file_name == ".user.ini" or file_name == "php.ini" or file_name == ".htaccess"))
}
