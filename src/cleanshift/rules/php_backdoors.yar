/*
    PHP backdoors: small pieces of code that run whatever the request sends.

    Every rule requires PHP-bearing content: an opening PHP tag anywhere in
    the file (so PHP hidden in an image counts too) or, for fragments that an
    attacker appends to another file, a PHP superglobal such as $_POST[.
*/

private rule backdoor_php_content
{
    strings:
        $tag_long = "<?php" nocase
        $tag_echo = "<?="
        $tag_short = /<\?[\s$@(a-wyzA-WYZ_]/
        $superglobal = /\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\s{0,3}\[/
    condition:
        any of them
}

rule php_eval_of_request_data
{
    meta:
        description = "Runs PHP code taken straight from a web request, HTTP header or environment variable with eval or assert."
        severity = "critical"
        family = "backdoor"
    strings:
        // eval/assert whose argument starts with request data, possibly
        // wrapped in a few string functions. Clean code never evaluates
        // what a visitor sends.
        $eval_request = /\b(eval|assert)\s{0,5}\(\s{0,5}(["']\?>["']\s{0,3}\.\s{0,3})?@?\s{0,3}(\(\s{0,3}string\s{0,3}\)\s{0,3})?((stripslashes|stripcslashes|base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|urldecode|rawurldecode|trim|hex2bin|strrev|html_entity_decode|htmlspecialchars_decode|implode|join|reset|end|current)\s{0,5}\(\s{0,5}@?\s{0,3}){0,4}\$(_(GET|POST|REQUEST|COOKIE|SERVER|SESSION|FILES|ENV)\b|\{\s{0,3}["']_)/ nocase
        $eval_header = /\b(eval|assert)\s{0,5}\(\s{0,5}@?\s{0,3}(getenv|apache_request_headers|getallheaders)\s{0,3}\(/ nocase
        $eval_input = /\b(eval|assert)\s{0,5}\(\s{0,5}@?\s{0,3}file_get_contents\s{0,3}\(\s{0,3}["']php:\/\/input/ nocase
    condition:
        backdoor_php_content and any of them
}

rule php_request_value_called_as_function
{
    meta:
        description = "Calls a PHP function whose name comes from the web request, so a visitor can run any function on the server."
        severity = "critical"
        family = "backdoor"
    strings:
        // $_GET['f'](...) or ${"_POST"}['f'](...): the request names the
        // function. No legitimate code lets a visitor pick a function.
        $direct = /\$_(GET|POST|REQUEST|COOKIE|SERVER|SESSION)\s{0,3}\[[^\]\n]{1,60}\]\s{0,3}\(/
        $braced = /\$\{\s{0,3}["']_(GET|POST|REQUEST|COOKIE)["']\s{0,3}\}\s{0,3}\[[^\]\n]{1,60}\]\s{0,3}\(/
        // A callback-taking function handed a request value as callback.
        $callback_first = /\b(call_user_func(_array)?|forward_static_call(_array)?|register_shutdown_function|register_tick_function|array_map|iterator_apply|set_error_handler|set_exception_handler|ob_start|spl_autoload_register|header_register_callback|fromCallable)\s{0,5}\(\s{0,5}@?\s{0,3}\$_(GET|POST|REQUEST|COOKIE|SERVER|SESSION)/
        // A callback held in a variable, called with request data.
        $callback_var = /\b(call_user_func(_array)?|forward_static_call(_array)?|register_shutdown_function|register_tick_function|array_map|array_filter|array_walk|usort|uasort|uksort|iterator_apply)\s{0,5}\(\s{0,5}\$[A-Za-z_]\w{0,30}\s{0,3},\s{0,3}(array\s{0,3}\(\s{0,3})?@?\s{0,3}\$_(GET|POST|REQUEST|COOKIE)/
        // The user-callback array functions almost never see request data
        // in clean code; with it they are a known callback backdoor.
        $ucallback_request = /\b(array_(diff|intersect)_u(key|assoc)|array_u(diff|intersect)(_u?assoc)?)\s{0,5}\([^;]{0,200}\$_(GET|POST|REQUEST|COOKIE)/
        // f(...)($_GET[..]): calling what a function returned.
        $call_result = /\)\s{0,3}\(\s{0,3}@?\$_(GET|POST|REQUEST|COOKIE)\s{0,3}\[/
        $invoke = /->\s{0,3}__invoke\s{0,3}\(\s{0,3}@?\$_(GET|POST|REQUEST|COOKIE)/
        $callback_last = /\b(array_(diff|intersect)_u(key|assoc)|array_u(diff|intersect)(_u?assoc)?|array_walk(_recursive)?|array_filter|array_reduce|usort|uasort|uksort|preg_replace_callback)\s{0,5}\([^;]{0,300},\s{0,5}@?\s{0,3}\$_(GET|POST|REQUEST|COOKIE|SERVER|SESSION)\s{0,3}\[[^\]\n]{1,40}\]\s{0,3}\)/
    condition:
        backdoor_php_content and any of them
}

rule php_variable_function_on_request_data
{
    meta:
        description = "Calls a function held in a variable with data from the web request, the core of many one-line PHP backdoors."
        severity = "high"
        family = "backdoor"
    strings:
        // $f($_POST['x']) or @$_($_REQUEST[...]): a variable used as a
        // function and fed request data. WordPress core and plugins call
        // named functions on request data, not variables.
        $var_call = /\$[A-Za-z_][A-Za-z0-9_]{0,30}(\s{0,3}\[[^\]\n]{1,30}\]){0,2}\s{0,3}\(\s{0,3}@?\s{0,3}(stripslashes\s{0,3}\(\s{0,3}|base64_decode\s{0,3}\(\s{0,3}|trim\s{0,3}\(\s{0,3})?\$_(GET|POST|REQUEST|COOKIE|SERVER|SESSION)\s{0,3}\[/
        $underscore_call = /[^\w$]\$_{1,5}\s{0,3}\(\s{0,3}@?\$/
    condition:
        backdoor_php_content and any of them
}

rule php_assert_as_callback
{
    meta:
        description = "Passes PHP's assert function by name as a callback, a known way to run attacker code without writing eval."
        severity = "critical"
        family = "backdoor"
    strings:
        // 'assert' as an argument, array value or assigned string. Clean
        // code calls assert() directly and never passes it by name.
        $quoted_arg = /["']assert["']\s{0,3}[,)]/ nocase
        $quoted_value = /(=|=>)\s{0,3}["']assert["']\s{0,3}[;,)\]]/ nocase
        $bare_arg = /\b(call_user_func(_array)?|array_filter|array_map|array_walk|register_shutdown_function|register_tick_function|forward_static_call(_array)?|usort|uasort|uksort|array_(diff|intersect)_u(key|assoc)|array_u(diff|intersect)(_u?assoc)?)\s{0,3}\(\s{0,3}assert\s{0,3}[,)]/ nocase
        $bare_last = /,\s{0,3}assert\s{0,3}\)/
        // XSLT stylesheets may call PHP functions once registerPHPFunctions
        // is on; one that calls assert is a backdoor.
        $xsl_register = "registerPHPFunctions" nocase
        $xsl_assert = /function\(\\?["']assert/ nocase
    condition:
        backdoor_php_content and
        ($quoted_arg or $quoted_value or $bare_arg or $bare_last or ($xsl_register and $xsl_assert))
}

rule php_request_variables_imported
{
    meta:
        description = "Turns every request parameter into a PHP variable and then calls a variable as a function, so the request chooses what runs."
        severity = "high"
        family = "backdoor"
    strings:
        $extract = /\bextract\s{0,3}\(\s{0,3}\$_(GET|POST|REQUEST|COOKIE)/ nocase
        $names = /["']_(POST|GET|REQUEST|COOKIE)["']/
        $varvar_assign = /\$\$[A-Za-z_]\w{0,30}\s{0,3}=\s{0,3}\$|\$\{\s{0,3}["'][^"'\n]{0,10}["']\s{0,3}\.\s{0,3}\$\w{1,30}\s{0,3}\}\s{0,3}=/
        $varvar_loop = /foreach\s{0,3}\(\s{0,3}\$\$[A-Za-z_]\w{0,30}\s{1,3}as/
        $parse_str = /\bparse_str\s{0,3}\(\s{0,3}\$_SERVER\s{0,3}\[\s{0,3}["'](QUERY_STRING|HTTP_)/
        $var_call = /[;{}\s@(]\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\(\s{0,3}\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}[,)]/
        $ctor_call = /->newInstance\s{0,3}\(\s{0,3}\$/
        $eval_var = /\b(eval|assert)\s{0,3}\(\s{0,3}(["'][^"'\n]{0,5}["']\s{0,3}\.\s{0,3})?\$\w{1,30}/
    condition:
        backdoor_php_content and filesize < 20KB and
        ($extract or ($names and ($varvar_assign or $varvar_loop)) or $parse_str) and
        ($var_call or $ctor_call or $eval_var)
}

rule php_hash_authenticated_backdoor
{
    meta:
        description = "Checks a request parameter against a hard-coded MD5 or SHA1 hash, the password gate typical of backdoors."
        severity = "high"
        family = "backdoor"
    strings:
        // A hash of request data compared with a literal hash. Real login
        // code compares against stored, salted hashes, not constants.
        $hash_then_literal = /\b(md5|sha1|crc32|hash)\s{0,3}\(\s{0,3}(["'][a-z0-9]{2,10}["']\s{0,3},\s{0,3})?@?\s{0,3}\$_(GET|POST|REQUEST|COOKIE|SERVER)\s{0,3}\[[^\]\n]{1,40}\]\s{0,3}(\?\?\s{0,3}["'][^"'\n]{0,10}["']\s{0,3})?\)\s{0,3}[!=]==?\s{0,3}["'][0-9a-fA-F]{8,64}["']/ nocase
        $literal_then_hash = /["'][0-9a-fA-F]{32,64}["']\s{0,3}[!=]==?\s{0,3}(md5|sha1|hash)\s{0,3}\(\s{0,3}(["'][a-z0-9]{2,10}["']\s{0,3},\s{0,3})?@?\s{0,3}\$_(GET|POST|REQUEST|COOKIE|SERVER)/ nocase
        $run = /\b(eval|assert|system|shell_exec|passthru|exec|popen|proc_open|create_function|include|require|fwrite|file_put_contents|move_uploaded_file|preg_replace)\s{0,3}\(/ nocase
        $var_run = /\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\(\s{0,3}\$_(GET|POST|REQUEST|COOKIE)/
    condition:
        backdoor_php_content and ($hash_then_literal or $literal_then_hash) and ($run or $var_run)
}

rule php_code_from_request_header_or_cookie
{
    meta:
        description = "Decodes and runs code smuggled in a cookie or an HTTP header."
        severity = "critical"
        family = "backdoor"
    strings:
        $decode_cookie = /\b(base64_decode|gzinflate|gzuncompress|str_rot13|unserialize)\s{0,3}\(\s{0,3}@?\s{0,3}\$_(COOKIE|SERVER\s{0,3}\[\s{0,3}["']HTTP_)/ nocase
        $run = /\b(eval|assert|create_function|call_user_func|preg_replace)\s{0,3}\(/ nocase
    condition:
        backdoor_php_content and $decode_cookie and $run and filesize < 50KB
}

rule php_request_value_run_through_variable
{
    meta:
        description = "Small PHP file that copies request values into variables and then runs one as code or as a function name, the shape of a one-line backdoor."
        severity = "high"
        family = "backdoor"
    strings:
        $assign = /\$[A-Za-z_]\w{0,30}\s{0,3}=\s{0,3}@?\s{0,3}\$_(GET|POST|REQUEST|COOKIE|SESSION|SERVER)\s{0,3}\[/
        $var_call = /(^|[;{}\s@(?:])\$[A-Za-z_]\w{0,30}\s{0,3}\(\s{0,3}@?\s{0,3}\$[A-Za-z_]\w{0,30}\s{0,3}(\[[^\]\n]{1,30}\]\s{0,3})?\)/
        $eval_var = /\b(eval|assert)\s{0,3}\(\s{0,3}@?\s{0,3}(["'][^"'\n]{0,5}["']\s{0,3}\.\s{0,3})?\$[A-Za-z_]\w{0,30}\s{0,3}(\.\s{0,3}["'][^"'\n]{0,5}["']\s{0,3})?\)/ nocase
        $assert_in_function = /function\s{1,3}\w{1,30}\s{0,3}\(\s{0,3}\$(\w{1,30})\s{0,3}\)\s{0,3}\{\s{0,20}(@\s{0,3})?(assert|eval)\s{0,3}\(\s{0,3}\$\w{1,30}\s{0,3}\)/ nocase
        $request_call = /[A-Za-z_]\w{0,30}\s{0,3}\(\s{0,3}\$_(GET|POST|REQUEST|COOKIE)\s{0,3}\[/
        $input = /(getenv\s{0,3}\(|php:\/\/input|getallheaders\s{0,3}\(|\$_SESSION\s{0,3}\[)/
    condition:
        backdoor_php_content and filesize < 6KB and
        (($assign and ($var_call or $eval_var)) or
         ($assert_in_function and $request_call) or
         ($eval_var and $input))
}

rule php_dynamic_superglobal_access
{
    meta:
        description = "Reaches $_POST or $_GET through a computed name (${$name}[...]) and runs the value, hiding the request variable from scanners."
        severity = "high"
        family = "backdoor"
    strings:
        $dyn = /\$\{\s{0,3}\$[A-Za-z_]\w{0,30}\s{0,3}\}\s{0,3}\[/
        $dyn_func = /\$\{\s{0,3}(strtoupper|strtolower|str_rot13|base64_decode|chr|implode|join)\s{0,3}\(/ nocase
        $split_name = /["']_(P|PO|POS|G|GE|R|RE|REQ|REQU|C|CO|COO|COOK|S|SE|SER)["']\s{0,3}\.\s{0,3}(\/\*[^\n]{0,30}\*\/\s{0,3})?["'](O|OS|OST|ST|T|E|ET|EQ|EQU|EQUEST|UEST|QUEST|EST|OOKIE|OKIE|KIE|IE|ERVER|RVER|VER)/
        // What runs the value: eval or assert, a variable function whose
        // call is split by a comment, or one handed the computed value.
        $run_eval = /\b(eval|assert)\s{0,3}\(/
        $run_split = /\$[A-Za-z_]\w{0,30}\s{0,3}\/\*[^\n]{0,30}\*\/\s{0,3}\(/
        $run_dynamic = /\$[A-Za-z_]\w{0,30}\s{0,3}\(\s{0,3}\$\{/
    condition:
        backdoor_php_content and ($dyn or $dyn_func or $split_name) and
        any of ($run_*) and filesize < 50KB
}

rule php_eval_of_decoded_variable
{
    meta:
        description = "Decodes a blob into a variable with base64_decode, gzinflate or similar and then evaluates that variable."
        severity = "high"
        family = "backdoor"
    strings:
        $decode_assign = /\$[A-Za-z_]\w{0,30}\s{0,3}=\s{0,3}@?\s{0,3}(gzinflate|gzuncompress|gzdecode|str_rot13|base64_decode|strrev|convert_uudecode)\s{0,3}\(/ nocase
        $eval_var = /\b(eval|assert)\s{0,3}\(\s{0,3}@?\s{0,3}\$[A-Za-z_]\w{0,30}\s{0,3}\)/ nocase
    condition:
        backdoor_php_content and #decode_assign >= 2 and $eval_var and filesize < 500KB
}

rule php_admin_account_creator
{
    meta:
        description = "Creates a CMS administrator with credentials written into the file, or by writing the user and role tables directly: a way back in after the other backdoors are removed."
        severity = "high"
        family = "backdoor"
    strings:
        // The CMS creates administrators from what an installer or an admin
        // typed; a file that carries the password or writes the user and
        // role rows itself exists to add its author.
        $password_literal = /\$\w{0,20}pass(word|wd)?\w{0,10}\s{0,3}=\s{0,3}["'][^"'\n$]{4,60}["']\s{0,3};/ nocase
        $wp_create_literal = /wp_create_user\s{0,3}\(\s{0,3}["'][^"'\n]{1,60}["']\s{0,3},\s{0,3}["'][^"'\n]{1,60}["']/ nocase
        $wp_insert_literal = /["']user_pass["']\s{0,3}=>\s{0,3}["'][^"'\n]{1,60}["']/ nocase
        $wp_admin_role = /(set_role\s{0,3}\(|["']role["']\s{0,3}=>)\s{0,3}["']administrator["']/ nocase
        $wp_caps_literal = /s:13:\\?["']administrator\\?["'];(b:1|s:1:\\?["']1\\?["']|i:1)/
        $users_insert = /INSERT\s{1,3}INTO\s{1,3}`?[A-Za-z0-9_]{0,20}users`?/ nocase
        $mage_user_table = /["']admin_user["']/
        $mage_role_table = /["']admin_role["']/
        $joomla_group_map = /["'`]#__user_usergroup_map["'`]/
        $insert = /\binsert\b/ nocase
    condition:
        backdoor_php_content and filesize < 200KB and
        (
            $wp_create_literal or
            ($wp_insert_literal and $wp_admin_role) or
            ($wp_caps_literal and $users_insert) or
            (
                $password_literal and $insert and
                (($mage_user_table and $mage_role_table) or $joomla_group_map)
            )
        )
}
