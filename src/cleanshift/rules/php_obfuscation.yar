/*
    Obfuscated PHP: code hidden behind decoders, escapes and string tricks so
    that it cannot be read, then run with eval or a variable function.

    Clean code decodes data (WordPress uses base64_decode and gzinflate for
    mail, HTTP and zip handling) but does not evaluate what it decodes, does
    not spell function names with escapes, and does not hide code behind
    hundreds of spaces. Every rule requires PHP-bearing content.

    Commercially encoded extensions are the exception: they evaluate packed
    code too. Where the packing sits tells them apart from packed malware
    in one shape, whole method bodies of a declared class (see
    obfuscation_packed_code_in_class_method). For the rest the code inside
    decides: rules marked ``packer = true`` flag the wrapper rather than
    what it hides, and when a file flagged only by them unpacks statically
    (literals run through decoders and eval'd, layer after layer), the
    scanner judges the unpacked code instead. A packed web shell is then
    reported as what it is, an encoded extension whose code is clean is
    not, and a wrapper that does not unpack stays flagged.
*/

private rule obfuscation_php_content
{
    strings:
        $tag_long = "<?php" nocase
        $tag_echo = "<?="
        $tag_short = /<\?[\s$@(a-wyzA-WYZ_]/
        $superglobal = /\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\s{0,3}\[/
    condition:
        any of them
}

private rule obfuscation_packed_code_in_class_method
{
    strings:
        // Encoded commercial extensions pack whole method bodies: a
        // declared class whose methods are indented eval(decoder(...))
        // statements, with no code that runs when the file is requested.
        // Packed web shells are the whole file, run at the top level, or
        // are pasted into a method of a clean file without its indentation.
        // This rule recognises only the first shape; it never makes a file
        // match, it lets the packer rules stand down for it.
        $class = /\n[ \t]{0,8}((abstract|final)[ \t]{1,4})?class[ \t]{1,4}[A-Za-z_][A-Za-z0-9_]{0,80}[ \t\r\n]{1,8}(extends|implements|\{)/
        // Every eval of decoder output in the file ...
        $packed = /\b(eval|assert)\s{0,5}\(\s{0,5}(["']\?>["']\s{0,3}\.\s{0,3})?@?\s{0,3}(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|convert_uudecode|hex2bin|rawurldecode|urldecode|bzdecompress|pack|strtr|str_replace|substr|htmlspecialchars_decode|base64_decode)\s{0,5}\(/ nocase
        // ... written as an indented statement of a block, or right after
        // the opening brace of a one-line method.
        $packed_in_block = /(\n[ \t]{1,40}|\{[ \t]{0,4})@?(eval|assert)\s{0,5}\(\s{0,5}(["']\?>["']\s{0,3}\.\s{0,3})?@?\s{0,3}(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|convert_uudecode|hex2bin|rawurldecode|urldecode|bzdecompress|pack|strtr|str_replace|substr|htmlspecialchars_decode|base64_decode)\s{0,5}\(/ nocase
        // The packed code is a variable rather than a literal; request input
        // shortly before it may be what fills that variable.
        $packed_var = /\b(eval|assert)\s{0,5}\((\s{0,3}@?\s{0,3}(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|convert_uudecode|hex2bin|rawurldecode|urldecode|bzdecompress|pack|strtr|str_replace|substr|htmlspecialchars_decode|base64_decode)\s{0,5}\(){1,6}\s{0,3}\$/ nocase
        // Request input handed to the eval itself, in plain or hidden form.
        $request_in_eval = /\b(eval|assert)\s{0,5}\([^;]{0,200}(\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES|SESSION|ENV)\b|\$\{\s{0,3}["']|\$GLOBALS\s{0,3}\[|php:\/\/input|getallheaders|getRequest\s{0,3}\(|->\s{0,3}get(Param|Params|Post|PostValue|Query|Cookie|Header|Content)\s{0,3}\()/ nocase
        $request = /\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s{0,3}\[\s{0,3}["']HTTP_|php:\/\/input|\$\{\s{0,3}["']_|\$GLOBALS\s{0,3}\[\s{0,3}["']_|\\x5[fF]\\x(47|50|52|43)|getRequest\s{0,3}\(|->\s{0,3}get(Param|Params|Post|PostValue|Query|Cookie)\s{0,3}\(/
        // Code at the top level that instantiates or calls a class, so that
        // requesting the file runs the packed method.
        $runs_on_load = /\n(\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}=\s{0,3})?(new[ \t]{1,3}[A-Za-z_\\]|[A-Za-z_][A-Za-z0-9_]{0,60}::[A-Za-z_][A-Za-z0-9_]{0,60}\s{0,3}\()/
        // A base64 or ROT13 layer that can be read without decompressing
        // shows request input or shell access in the payload.
        $b64_post = "$_POST[" base64
        $b64_get = "$_GET[" base64
        $b64_request = "$_REQUEST[" base64
        $b64_cookie = "$_COOKIE[" base64
        $b64_shell = "shell_exec(" base64
        $b64_system = "system(" base64
        $b64_passthru = "passthru(" base64
        $b64_upload = "move_uploaded_file(" base64
        $rot13_request = /\$_(CBFG|TRG|ERDHRFG|PBBXVR|SVYRF)\b/
        $rot13_shell = /\b(flfgrz|furyy_rkrp|cnffgueh|cebp_bcra|cbcra|zbir_hcybnqrq_svyr)\s{0,3}\(/
    condition:
        $class and #packed >= 1 and @class[1] < @packed[1] and
        #packed == #packed_in_block and
        not $request_in_eval and not $runs_on_load and
        not any of ($b64_*) and not any of ($rot13_*) and
        // An empty range is undefined, hence the explicit zero case.
        (
            #packed_var == 0 or
            for all i in (1..#packed_var) : (
                not $request in (@packed_var[i] - 1024 .. @packed_var[i])
            )
        )
}

rule php_eval_of_decoded_payload
{
    meta:
        description = "Evaluates PHP code produced by a decoder such as gzinflate, str_rot13 or base64_decode, the classic way to hide a payload."
        severity = "critical"
        family = "obfuscation"
        packer = true
    strings:
        // eval(gzinflate(...)), eval("?>".gzuncompress(...)), assert(...).
        // WordPress decodes data but never hands the result to eval. The
        // packed forms stand down for method bodies packed inside a class
        // with no request input and no top-level code, the layout of
        // encoded extensions; the other forms below never do.
        $eval_packed = /\b(eval|assert)\s{0,5}\(\s{0,5}(["']\?>["']\s{0,3}\.\s{0,3})?@?\s{0,3}(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|convert_uudecode|hex2bin|rawurldecode|urldecode|bzdecompress|pack|strtr|str_replace|substr|htmlspecialchars_decode)\s{0,5}\(/ nocase
        // eval(base64_decode(...)); when its argument is a literal, the
        // scanner unpacks it and judges what it decodes to.
        $eval_b64 = /\b(eval|assert)\s{0,5}\(\s{0,5}(["']\?>["']\s{0,3}\.\s{0,3})?@?\s{0,3}base64_decode\s{0,5}\(/ nocase
        // eval($f(...)) or eval(${$x}[..]): the decoder is reached through a
        // variable; counted when its name was hidden with escapes or kept
        // in a string, as obfuscators do.
        $eval_varfunc = /\b(eval|assert)\s{0,5}\(\s{0,5}@?\s{0,3}\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\(/
        $escaped_name = /=\s{0,3}["'](\\x[0-9a-fA-F]{2}|\\[0-7]{2,3}){6,40}["']\s{0,3};/
        $plain_name = /=\s{0,3}["'](base64_decode|gzinflate|gzuncompress|str_rot13|strrev)["']\s{0,3};/ nocase
        $eval_varfunc_nested = /\b(eval|assert)\s{0,5}\(\s{0,5}@?\s{0,3}\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\(\s{0,3}\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\(/
        $eval_varvar = /\b(eval|assert)\s{0,5}\(\s{0,5}@?\s{0,3}\$\{\s{0,3}\$/
        // preg_replace's /e modifier evaluates the replacement.
        $preg_e = /preg_replace\s{0,3}\(\s{0,3}["'][\/#~|!@%{][^\n"']{0,200}[\/#~|!@%}][imsxuADSUXJ]{0,8}e[imsxuADSUXJ]{0,8}["']\s{0,3},/
        $preg_e_chr = /preg_replace\s{0,3}\([^;]{0,100}chr\s{0,3}\(\s{0,3}101\s{0,3}\)/
        $preg_e_hex = /preg_replace\s{0,3}\(\s{0,3}["']\\x2[fF]/
        // A regex with the /e flag handed to any call (preg_replace reached
        // through a variable); no other PCRE function accepts /e.
        $preg_e_any = /\(\s{0,3}["'][\/#~|!@%][^"'\n]{0,60}[\/#~|!@%][imsxu]{0,4}e[imsxu]{0,4}["']\s{0,3},/
        $preg_e_dyn = /preg_replace\s{0,3}\(\s{0,3}["'][\/#~|!@%]["']\s{0,3}\.[^;]{1,120}\.\s{0,3}["'][\/#~|!@%][imsxu]{0,4}e["']/
        // What a base64 payload of a web shell contains.
        $b64_post = "$_POST[" base64
        $b64_get = "$_GET[" base64
        $b64_request = "$_REQUEST[" base64
        $b64_cookie = "$_COOKIE[" base64
        $b64_errors = "error_reporting(0)" base64
        $b64_shell = "shell_exec(" base64
        $b64_passthru = "passthru(" base64
        $b64_system = "system(" base64
        $b64_upload = "move_uploaded_file(" base64
        $b64_limit = "set_time_limit(0)" base64
    condition:
        obfuscation_php_content and
        (
            $eval_varvar or $eval_varfunc_nested or any of ($preg_e*) or
            ($eval_varfunc and ($escaped_name or $plain_name or any of ($b64_*))) or
            (
                ($eval_packed or $eval_b64) and
                not obfuscation_packed_code_in_class_method
            )
        )
}

rule php_nested_decoders
{
    meta:
        description = "Unpacks a string through two or more nested decoders (base64, gzip, rot13, reverse), typical of packed PHP malware."
        severity = "high"
        family = "obfuscation"
        packer = true
    strings:
        // Clean code may decode once; nesting decoders on a literal blob is
        // what obfuscators emit. Encoded extensions nest them inside their
        // packed methods, so those files are left to the class-method test,
        // unless request input goes straight into the nested decoders.
        $nested = /\b(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|base64_decode|convert_uudecode|bzdecompress)\s{0,3}\(\s{0,3}@?\s{0,3}(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|base64_decode|convert_uudecode|bzdecompress)\s{0,3}\(/ nocase
        $nested_request = /\b(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|base64_decode|convert_uudecode|bzdecompress)\s{0,3}\(\s{0,3}@?\s{0,3}(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|base64_decode|convert_uudecode|bzdecompress)\s{0,3}\(\s{0,3}@?\s{0,3}\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\b/ nocase
    condition:
        obfuscation_php_content and $nested and
        (not obfuscation_packed_code_in_class_method or $nested_request)
}

rule php_escaped_function_names
{
    meta:
        description = "Hides function names or code in strings made of hex or octal escapes that are stored in variables, which only obfuscators do."
        severity = "high"
        family = "obfuscation"
    strings:
        // Six or more escapes of printable ASCII stored in a variable or
        // array entry, or escapes interleaved with letters; clean code
        // escapes control bytes, not letters. (WordPress's SimplePie
        // escapes "<?xml", five in a row, inside a comparison.) A run passed
        // straight to eval is the packer case, left to the packer rules.
        $assigned = /(=|=>)\s{0,3}["'](\\x[2-7][0-9a-fA-F]|\\1[0-7][0-7]|\\[4-7][0-7]){6}/
        $mixed = /["'][a-zA-Z0-9_]{0,2}(\\x[2-7][0-9a-fA-F]|\\1[0-7][0-7])[a-zA-Z0-9_]{1,2}(\\x[2-7][0-9a-fA-F]|\\1[0-7][0-7])[a-zA-Z0-9_]{0,2}(\\x[2-7][0-9a-fA-F]|\\1[0-7][0-7])/
    condition:
        obfuscation_php_content and ($assigned or $mixed)
}

rule php_chr_chain
{
    meta:
        description = "Builds code or function names one character at a time with chr() calls, hiding what will run."
        severity = "high"
        family = "obfuscation"
    strings:
        $chr = /chr\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)\s{0,2}\.\s{0,2}chr\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)\s{0,2}\.\s{0,2}chr\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)/ nocase
        $pack_chars = /pack\s{0,2}\(\s{0,2}["']c\*["']\s{0,2}(,\s{0,2}(0x[0-9a-fA-F]{2}|\d{2,3})\s{0,2}){4}/ nocase
        // $c(101).$c(118).$c(97): three calls of a variable on a character
        // code, matched from the end of the first call.
        $alias = /(\d\)|\d \))\s{0,2}\.\s{0,2}\$[A-Za-z_]\w{0,20}\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)\s{0,2}\.\s{0,2}\$[A-Za-z_]\w{0,20}\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)/
    condition:
        obfuscation_php_content and any of them
}

private rule obfuscation_small_bitwise_loader
{
    strings:
        // One computed name and a call in a small file: a "no letters"
        // loader. A rule's patterns are only searched in files its size
        // bound allows, so the broad call pattern costs nothing elsewhere.
        $assign = /=\s{0,2}\(?\s{0,2}["'][^"'\n]{1,60}["']\s{0,2}(\^\s{0,2}~?\s{0,2}(["']|[A-Za-z_][A-Za-z0-9_]{1,30}\s{0,2}[;.])|[|&]\s{0,2}~?\s{0,2}["'])/
        $call = /\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}(\[[^\]\n]{1,30}\]\s{0,3})?\(|\b(eval|assert)\s{0,3}\(/
    condition:
        filesize < 4KB and $assign and $call
}

rule php_string_bitwise_obfuscation
{
    meta:
        description = "Computes function names by XOR-ing, OR-ing or AND-ing string literals together, a signature of PHP obfuscators and 'no letters' shells."
        severity = "high"
        family = "obfuscation"
    strings:
        // $x = 'abc' ^ 'xyz'; clean PHP almost never assigns the result of a
        // bitwise operator applied to a string literal.
        $assign = /=\s{0,2}\(?\s{0,2}["'][^"'\n]{1,60}["']\s{0,2}(\^\s{0,2}~?\s{0,2}(["']|[A-Za-z_][A-Za-z0-9_]{1,30}\s{0,2}[;.])|[|&]\s{0,2}~?\s{0,2}["'])/
        $paren = /\(\s{0,3}["'][^"'\n]{1,4}["']\s{0,3}\^\s{0,3}["'][^"'\n]{1,4}["']\s{0,3}\)/
    condition:
        obfuscation_php_content and
        (#assign >= 5 or $paren or obfuscation_small_bitwise_loader)
}

rule php_encoded_php_payload
{
    meta:
        description = "Carries web-shell code (request variables, shell calls, upload handling) encoded in base64 inside a PHP file."
        severity = "high"
        family = "obfuscation"
    strings:
        // Only markers of what the hidden code does; an encoded "eval(" or
        // "<?php" alone is what commercial encoders produce too.
        $b64_post = "$_POST[" base64
        $b64_get = "$_GET[" base64
        $b64_request = "$_REQUEST[" base64
        $b64_cookie = "$_COOKIE[" base64
        $b64_errors = "error_reporting(0)" base64
        $b64_shell = "shell_exec(" base64
        $b64_system = "system(" base64
        $b64_passthru = "passthru(" base64
        $b64_upload = "move_uploaded_file(" base64
        $b64_limit = "set_time_limit(0)" base64
        $b64_uname = "uname -a" base64
        $b64_tag = "<?php" base64
    condition:
        obfuscation_php_content and any of them
}

rule php_rot13_or_reversed_function_names
{
    meta:
        description = "Stores dangerous function names such as eval or base64_decode in ROT13 or reversed form, to be decoded and called later."
        severity = "high"
        family = "obfuscation"
    strings:
        $reversed_piece = /strrev\s{0,3}\(\s{0,3}["'](esab|edoced|edoced_46esab|etalfni|etalfnizg|taerc|noitcnuf|noitcnuf_etaerc|tressa|lave|metsys|cexe_llehs|urhtssap)["']\s{0,3}\)/ nocase
        $names = /["'](riny|nffreg|onfr64_qrpbqr|tmvasyngr|tmhapbzcerff|flfgrz|furyy_rkrp|cnffgueh|perngr_shapgvba|cert_ercynpr|lave|tressa|edoced_46esab|etalfnizg|sserpmocnuzg|metsys|cexe_llehs|uhtssap|noitcnuf_etaerc)["']/ nocase
    condition:
        obfuscation_php_content and ($names or $reversed_piece)
}

rule php_split_function_names
{
    meta:
        description = "Assembles a dangerous function name such as assert, eval or base64_decode from small string pieces so that it never appears whole."
        severity = "high"
        family = "obfuscation"
    strings:
        $assert = /["']a["']\s{0,3}\.\s{0,3}["']s{1,2}["']|["']as{1,2}["']\s{0,3}\.\s{0,3}["']s?e|["']asse["']\s{0,3}\.\s{0,3}["']rt["']|["']as["']\s{0,3}(\.|=>)\s{0,3}["']sert["']|["']ass["']\s{0,3}(\.|=>)\s{0,3}["']ert["']|\.\s{0,3}["']sert["']|\.\s{0,3}["']ert["']\s{0,3}[,;)]/ nocase
        $decode = /["']ba["']\s{0,3}\.\s{0,3}["']se|["']bas["']\s{0,3}\.\s{0,3}["']e|["']base["']\s{0,3}\.\s{0,3}(["']64|\(?\s{0,3}32\s{0,3}\*\s{0,3}2)|["']base64_["']\s{0,3}\.|["']_de["']\s{0,3}\.\s{0,3}["']code["']|\.\s{0,3}["']_d["']\s{0,3}\.\s{0,3}["']eco/ nocase
        $eval = /["']e["']\s{0,3}\.\s{0,3}["']v["']\s{0,3}\.\s{0,3}["']a["']|["']ev["']\s{0,3}\.\s{0,3}["']al["']/ nocase
        $create = /["']create_["']\s{0,3}\.\s{0,3}["']fun|["']cre["']\s{0,3}\.\s{0,3}["']ate_/ nocase
        $system = /["']sys["']\s{0,3}\.\s{0,3}["']tem["']|["']sy["']\s{0,3}\.\s{0,3}["']stem["']|["']shell_["']\s{0,3}\.\s{0,3}["']exec["']|["']pass["']\s{0,3}\.\s{0,3}["']thru["']/ nocase
        $strtr = /\bstr(tr|_replace)\s{0,3}\(\s{0,3}["'][a-z]{3,10}["']\s{0,3},\s{0,3}["'][a-z]{1,8}["']\s{0,3},\s{0,3}["'](ser|sse|ssert|ert|val|ystem)["']/ nocase
        $substr_replace = /\bsubstr_replace\s{0,3}\(\s{0,3}["']as[a-z]{1,6}["']\s{0,3},\s{0,3}["'](sert|ert)["']/ nocase
    condition:
        obfuscation_php_content and any of them
}

rule php_whitespace_hidden_code
{
    meta:
        description = "Pushes PHP code far off screen with hundreds of spaces or tabs after the opening tag, so that it is missed when the file is viewed."
        severity = "high"
        family = "obfuscation"
    strings:
        // No code style puts 100+ blanks between the opening tag and the
        // first statement.
        $tag_pad = /<\?php[ \t]{100}/ nocase
        $close_pad = /\?>[ \t]{150}<\?php/ nocase
    condition:
        obfuscation_php_content and any of them
}

rule php_long_encoded_blob_decoded
{
    meta:
        description = "Decodes a very long base64 or hex string literal embedded in the file, typical of packed PHP payloads."
        severity = "medium"
        family = "obfuscation"
        packer = true
    strings:
        // A decoder applied to a multi-kilobyte literal; WordPress ships no
        // such blob in PHP (its inline images are built, not decoded).
        // A plain base64 literal is judged by its content instead (see
        // php_encoded_php_payload); commercial modules ship those too, and
        // their packed method bodies are left to the class-method test.
        $b64_blob = /(str_rot13|gzinflate|gzuncompress|convert_uudecode)\s{0,3}\(\s{0,3}(base64_decode\s{0,3}\(\s{0,3})?["'][A-Za-z0-9+\/=\r\n]{2000}/ nocase
        $hex_blob = /(hex2bin|pack)\s{0,3}\(\s{0,3}(["']H\*["']\s{0,3},\s{0,3})?["'][0-9a-fA-F]{1000}/ nocase
    condition:
        obfuscation_php_content and any of them and
        not obfuscation_packed_code_in_class_method
}

rule php_create_function_payload
{
    meta:
        description = "Builds a function at run time with create_function from decoded text or request data, equivalent to eval."
        severity = "high"
        family = "obfuscation"
    strings:
        // Old plugins use create_function with a literal body; a body that
        // is a variable, decoder output or request data is a payload.
        $create_dynamic = /\bcreate_function\s{0,3}\(\s{0,3}["'][^"'\n]{0,40}["']\s{0,3},\s{0,3}@?\s{0,3}(\$_(GET|POST|REQUEST|COOKIE)|[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\(|\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\()/ nocase
        $create_decoded = /\bcreate_function\s{0,3}\(\s{0,3}["'][^"'\n]{0,40}["']\s{0,3},\s{0,3}\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\)/ nocase
        $decoder = /\b(gzinflate|gzuncompress|base64_decode|str_rot13)\s{0,3}\(/ nocase
        $create_called = /\bcreate_function\s{0,3}\([^;]{1,200}\)\s{0,3}\)\s{0,3}\(\s{0,3}\)/ nocase
    condition:
        obfuscation_php_content and ($create_dynamic or $create_called or ($create_decoded and $decoder))
}

rule php_decoder_name_in_variable
{
    meta:
        description = "Stores the name of a decoder or code-running function (base64_decode, gzinflate, assert, create_function...) in a string, to call it through a variable."
        severity = "medium"
        family = "obfuscation"
    strings:
        // $f = "base64_decode"; ... $f($blob). Clean code names such
        // functions directly; string names of eval-like functions are
        // only needed to hide them. Names that are also ordinary words
        // ("system", "assert") are left to the rules that see the call.
        $name = /=\s{0,3}["'](base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|convert_uudecode|create_function|shell_exec|passthru|proc_open|pcntl_exec)["']\s{0,3}[;,)\]]/ nocase
    condition:
        obfuscation_php_content and $name
}

rule php_globals_function_table
{
    meta:
        description = "Calls functions through names stored in $GLOBALS entries, an obfuscation that hides every call the script makes."
        severity = "high"
        family = "obfuscation"
    strings:
        $call = /\$GLOBALS\s{0,3}\[\s{0,3}["'][A-Za-z0-9_]{1,40}["']\s{0,3}\]\s{0,3}\(/
        $nested = /\$GLOBALS\s{0,3}\[[^\]\n]{1,30}\]\s{0,3}\(\s{0,3}\$GLOBALS\s{0,3}\[/
        // phpMyAdmin keeps function names in $GLOBALS too; obfuscators pair
        // the table with decoding.
        $decode = /\b(base64_decode|gzinflate|gzuncompress|str_rot13|pack|chr)\s{0,3}\(|\^\s{0,3}\d{1,3}\s{0,3}\)/ nocase
        $index_call = /\$GLOBALS\s{0,3}\[\s{0,3}["'][A-Za-z0-9_]{1,40}["']\s{0,3}\]\s{0,3}\[\s{0,3}\d{1,4}\s{0,3}\]\s{0,3}\(/
    condition:
        obfuscation_php_content and $decode and (#call >= 8 or #index_call >= 5 or $nested)
}

rule php_xor_decoding_loop
{
    meta:
        description = "Decrypts an embedded string byte by byte (XOR or shifted character codes) and runs the result, a common payload wrapper."
        severity = "high"
        family = "obfuscation"
    strings:
        $loop = /chr\s{0,3}\(\s{0,3}\(?\s{0,3}ord\s{0,3}\(\s{0,3}\$[A-Za-z_]\w{0,30}\s{0,3}(\[|\{)\s{0,3}\$[A-Za-z_]\w{0,30}\s{0,3}(\]|\})\s{0,3}\)\s{0,3}[\^+-]/
        $loop_globals = /\(\s{0,3}\$GLOBALS\s{0,3}\[[^\]]{1,30}\]\s{0,3}\(\s{0,3}\$\w{1,30}\s{0,3}\[\s{0,3}\$\w{1,30}\s{0,3}\]\s{0,3}\)\s{0,3}\^/
        $run1 = /\b(eval|assert|create_function)\s{0,3}\(/ nocase
        $run2 = /\b(gzinflate|gzuncompress|base64_decode)\s{0,3}\(/ nocase
        $run3 = /\$[A-Za-z_]\w{0,30}\s{0,3}\(\)\s{0,3};/
    condition:
        obfuscation_php_content and ($loop or $loop_globals) and $run1 and ($run2 or $run3) and filesize < 300KB
}

rule php_non_ascii_identifiers
{
    meta:
        description = "Uses variable and constant names made of unreadable high-byte characters, produced by PHP obfuscators to defeat reading."
        severity = "medium"
        family = "obfuscation"
    strings:
        $var = /\$[\x7f-\xff]{2}/
        $define = /define\s{0,3}\(\s{0,3}["'][\x7f-\xff]{2}/
        $errors_off = /error_reporting\s{0,3}\(\s{0,3}0\s{0,3}\)/
    condition:
        obfuscation_php_content and #var >= 20 and ($define or $errors_off)
}

rule php_eval_of_helper_decoder
{
    meta:
        description = "Evaluates the output of a helper function that the file defines to unpack its own payload (a custom decoder feeding eval)."
        severity = "high"
        family = "obfuscation"
    strings:
        // eval(unpack_it($blob, $key)) where the file's own function ends in
        // base64_decode/gzinflate through a variable.
        $eval_call = /\b(eval|assert)\s{0,3}\(\s{0,3}@?\s{0,3}[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\(\s{0,3}\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}[,)]/
        $decoder_var = /return\s{1,3}\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\(\s{0,3}\$[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,3}\)/
        $decoder = /\b(base64_decode|gzinflate|gzuncompress|str_rot13|strrev)\b/ nocase
        $string_table = /\bstrtr\s{0,3}\(|isset\s{0,3}\(\s{0,3}\$[A-Za-z_]\w{0,30}\s{0,3}\[\s{0,3}\$[A-Za-z_]\w{0,30}\s{0,3}\[/
    condition:
        obfuscation_php_content and $eval_call and $decoder and ($decoder_var or $string_table)
}
