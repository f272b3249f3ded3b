/*
    PHP stored in the database: code that a backdoor plugin, a cron hook or
    a PHP-in-content plugin later passes to eval.

    In post content, code samples are common on developer blogs, so there a
    rule fires only when the value also opens PHP as the PHP-in-content
    plugins expect. Options and configuration never hold such code.
*/

private rule db_runs_as_php
{
    strings:
        $php_open = /<\?php|\[insert_php\]|\[php\]|\[exec\]/ nocase
    condition:
        field != "content" or $php_open
}

rule db_php_encoded_eval
{
    meta:
        description = "PHP that decodes and runs hidden code (eval of base64_decode, gzinflate or str_rot13) or runs request input: a backdoor kept in the database."
        severity = "critical"
        family = "backdoor"
    strings:
        $eval_decode = /\b(eval|assert)\s{0,3}\(\s{0,3}(@\s{0,3})?(base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|convert_uudecode|hex2bin|rawurldecode)\s{0,3}\(/ nocase
        $inflate_decode = /\b(gzinflate|gzuncompress|gzdecode)\s{0,3}\(\s{0,3}(@\s{0,3})?(base64_decode|str_rot13)\s{0,3}\(/ nocase
        $create_function = /\bcreate_function\s{0,3}\(\s{0,3}(""|'')\s{0,3},\s{0,3}(base64_decode|gzinflate|\$)/ nocase
        $run_input = /\b(eval|assert|system|exec|passthru|shell_exec|popen|proc_open)\s{0,3}\(\s{0,3}(@\s{0,3})?(stripslashes\s{0,3}\(\s{0,3})?\$_(GET|POST|REQUEST|COOKIE|SERVER)\b/ nocase
    condition:
        db_runs_as_php and any of them
}

rule db_base64_encoded_code
{
    meta:
        description = "A base64 string that hides code (eval, gzinflate, shell calls, a packed script); plugins do not store code this way."
        severity = "high"
        family = "obfuscation"
    strings:
        $eval_base64 = "eval(base64_decode(" base64
        $eval_inflate = "eval(gzinflate(" base64
        $inflate_base64 = "gzinflate(base64_decode(" base64
        $eval_rot13 = "eval(str_rot13(" base64
        $eval_post = "eval($_POST" base64
        $eval_request = "eval($_REQUEST" base64
        $shell_exec = "shell_exec(" base64
        $packer = "eval(function(p,a,c,k,e," base64
        $eval_atob = "eval(atob(" base64
    condition:
        any of them
}
