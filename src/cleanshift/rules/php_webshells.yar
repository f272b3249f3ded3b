/*
    PHP web shells and file managers: pages that let whoever opens them run
    commands, browse and change files, and upload more tools.

    Clean code rarely runs shell commands at all (WordPress core does so only
    in PHPMailer's sendmail pipe and the Text_Diff shell engine, neither of
    which reads request data), so the rules look for command execution fed
    by the request, or for the combination of features that makes a shell.
*/

private rule webshell_php_content
{
    strings:
        $tag_long = "<?php" nocase
        $tag_echo = "<?="
        $tag_short = /<\?[\s$@(a-wyzA-WYZ_]/
        $superglobal = /\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\s{0,3}\[/
    condition:
        any of them
}

rule php_command_execution_from_request
{
    meta:
        description = "Runs an operating-system command taken from the web request, letting any visitor control the server."
        severity = "critical"
        family = "webshell"
    strings:
        // system($_GET['c']) and friends, possibly through a string function.
        $exec_request = /\b(system|shell_exec|passthru|exec|popen|proc_open|pcntl_exec|expect_popen)\s{0,3}\(\s{0,3}@?\s{0,3}((stripslashes|base64_decode|trim|urldecode|rawurldecode|escapeshellcmd|str_rot13|hex2bin)\s{0,3}\(\s{0,3}){0,3}\$_(GET|POST|REQUEST|COOKIE|SERVER|SESSION)\s{0,3}\[/ nocase
        // Backticks run a command; documentation also quotes `$_POST` in
        // backticks, so only a backtick used as a value counts.
        $backtick_request = /(=|echo|print|return|\()\s{0,3}`\s{0,3}\{?\s{0,3}\$_(GET|POST|REQUEST|COOKIE)/
    condition:
        webshell_php_content and any of them
}

rule php_command_execution_with_request_input
{
    meta:
        description = "Small PHP file that reads the web request and passes a variable to a command-execution function, the shape of a command shell."
        severity = "high"
        family = "webshell"
    strings:
        $exec_var = /\b(system|shell_exec|passthru|popen|proc_open|pcntl_exec)\s{0,3}\(\s{0,3}@?\s{0,3}\$/ nocase
        $exec_plain = /[^\w>:$]exec\s{0,3}\(\s{0,3}@?\s{0,3}\$[a-z_]\w{0,30}\s{0,3}[,)]/ nocase
        $backtick_var = /=\s{0,3}`\$[a-z_]\w{0,30}\s{0,3}`/ nocase
        $request = /\$_(GET|POST|REQUEST|COOKIE)\s{0,3}\[/
        $request_all = /\$_(GET|POST|REQUEST|COOKIE)\b/
    condition:
        webshell_php_content and filesize < 30KB and
        ($exec_var or $exec_plain or $backtick_var) and ($request or #request_all >= 2)
}

rule php_webshell_toolkit
{
    meta:
        description = "PHP page combining command execution with file browsing, uploading or server reconnaissance: a web shell or hacker file manager."
        severity = "critical"
        family = "webshell"
    strings:
        $exec1 = /\bshell_exec\s{0,3}\(/ nocase
        $exec2 = /\bpassthru\s{0,3}\(/ nocase
        $exec3 = /[^\w>:$]system\s{0,3}\(\s{0,3}[$"']/ nocase
        $exec4 = /\bproc_open\s{0,3}\(/ nocase
        $exec5 = /[^\w>:$]popen\s{0,3}\(/ nocase
        $exec6 = /[^\w>:$.]exec\s{0,3}\(\s{0,3}[$"']/ nocase
        $exec7 = /\bpcntl_exec\s{0,3}\(/ nocase
        $exec8 = /(=|echo|print|\.)\s{0,3}`\$[a-z_]\w{0,30}\s{0,3}`/ nocase

        $recon1 = "uname -a" nocase
        $recon2 = "/etc/passwd"
        $recon3 = "cmd.exe" nocase
        $recon4 = "/bin/sh"
        $recon5 = "/bin/bash"
        $recon6 = "netstat -" nocase
        $recon7 = "ls -la" nocase
        $recon8 = "ps aux" nocase
        $recon9 = "whoami" nocase
        $recon10 = "safe_mode" nocase
        $recon11 = "disable_functions" nocase
        $recon12 = "open_basedir" nocase
        $recon13 = /\bphp_uname\s{0,3}\(/ nocase
        $recon14 = /\bposix_get(pwuid|grgid|uid|euid)\s{0,3}\(/ nocase
        $recon15 = "/etc/shadow"
        $recon16 = "back connect" nocase
        $recon17 = "bind port" nocase
        $recon18 = "id;pwd" nocase
        $recon19 = /\bfsockopen\s{0,3}\(/ nocase
        $recon20 = "2>&1"
        $recon21 = /\bmysql_connect\s{0,3}\(/ nocase
        $recon22 = /\bini_restore\s{0,3}\(/ nocase
        $recon23 = "find / -type" nocase
        $recon24 = "/proc/cpuinfo"
        $recon25 = /\bgetenv\s{0,3}\(\s{0,3}["']COMSPEC/ nocase
        $recon26 = /\bdisk_(free|total)_space\s{0,3}\(/ nocase

        $files1 = /\b(opendir|scandir|readdir|glob)\s{0,3}\(/ nocase
        $files2 = /\bmove_uploaded_file\s{0,3}\(/ nocase
        $files3 = /\b(chmod|fileperms)\s{0,3}\(/ nocase
        $files4 = /\b(unlink|rmdir)\s{0,3}\(/ nocase
        $files5 = /\bfile_put_contents\s{0,3}\(|\bfwrite\s{0,3}\(/ nocase
        $files6 = /\b(is_writable|is_writeable)\s{0,3}\(/ nocase

        // Old shells rely on register_globals and read $HTTP_POST_VARS or
        // post back to $PHP_SELF instead of reading $_POST.
        $request = /\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$HTTP_(POST|GET|COOKIE|SERVER)_VARS|\$PHP_SELF\b|<form\s/ nocase
    condition:
        webshell_php_content and $request and
        (
            (any of ($exec*) and 3 of ($recon*) and 2 of ($files*)) or
            (2 of ($exec*) and 5 of ($recon*)) or
            (3 of ($exec*) and 2 of ($recon*) and 3 of ($files*)) or
            (any of ($exec*) and 2 of ($recon*) and 5 of ($files*))
        )
}

rule php_webshell_family_marker
{
    meta:
        description = "Bears the name of a well-known web shell family (c99, r57, WSO, b374k and others) next to shell functionality."
        severity = "critical"
        family = "webshell"
    strings:
        // Family names are only an extra signal: each must come with code
        // that runs commands or handles files.
        $name1 = "c99shell" nocase
        $name2 = "r57shell" nocase
        $name3 = "b374k" nocase
        $name4 = /WSO\s{0,3}[0-9]\.[0-9]/
        $name5 = "FilesMan"
        $name6 = "c100 shell" nocase
        $name7 = "phpspy" nocase
        $name8 = "locus7s" nocase
        $name9 = "Antichat" nocase
        $name10 = "PHPJackal" nocase
        $name11 = "nstview" nocase
        $name12 = "ironshell" nocase
        $name13 = "SnIpEr_SA" nocase
        $name14 = "Safe_Mode Bypass" nocase
        $name15 = "Web Shell by" nocase
        $name16 = "WebShell" nocase
        $name17 = "Backdoor" nocase
        $code1 = /\b(shell_exec|passthru|system|proc_open|popen|exec|eval|assert)\s{0,3}\(/ nocase
        $code2 = /\bmove_uploaded_file\s{0,3}\(/ nocase
        $code3 = /\$_(GET|POST|REQUEST|COOKIE)\s{0,3}\[/
    condition:
        webshell_php_content and any of ($name*) and 2 of ($code*)
}

rule php_remote_shell_connector
{
    meta:
        description = "Opens a network connection and hands it a shell (bind or back-connect shell), giving an attacker interactive control."
        severity = "critical"
        family = "webshell"
    strings:
        $sock = /\b(fsockopen|socket_create|stream_socket_server|stream_socket_client|socket_bind)\s{0,3}\(/ nocase
        $shell = /["'](\/bin\/sh|\/bin\/bash|cmd\.exe)( -i)?["']/ nocase
        $dup = /\b(proc_open|popen|shell_exec|system|passthru|exec)\s{0,3}\(/ nocase
    condition:
        webshell_php_content and $sock and $shell and $dup
}

rule php_database_web_shell
{
    meta:
        description = "PHP page that lists the server's databases and runs SQL typed into its own form: a database web shell or a dropped database admin tool."
        severity = "medium"
        family = "webshell"
        type = "hacktool"
    strings:
        $connect = /\b(mysql_connect|mysql_pconnect|mysqli_connect|mysql_list_dbs|pg_connect|mssql_connect)\s{0,3}\(/ nocase
        $list_databases = /(mysql_list_dbs|SHOW\s{1,3}DATABASES|information_schema\.SCHEMATA)/ nocase
        $query_var = /\b(mysql_query|mysqli_query|mysql_unbuffered_query|mysql_db_query|pg_query|mssql_query)\s{0,3}\(\s{0,3}(stripslashes\s{0,3}\(\s{0,3}|urldecode\s{0,3}\(\s{0,3})?\$/ nocase
        $form = /<(form|textarea)[\s>]/ nocase
        $tables = /SHOW\s{1,3}(TABLES|CREATE\s{1,3}TABLE|COLUMNS)|mysql_list_tables|information_schema\.TABLES/ nocase
    condition:
        webshell_php_content and $connect and $list_databases and $query_var and $form and $tables and filesize < 600KB
}

rule php_network_flooder
{
    meta:
        description = "PHP script that floods a host given in the request with UDP or TCP packets, used to run denial-of-service attacks from hacked sites."
        severity = "high"
        family = "webshell"
    strings:
        $udp = /fsockopen\s{0,3}\(\s{0,3}["']udp:\/\//i
        $udp_var = /fsockopen\s{0,3}\(\s{0,3}["']?(udp|tcp):\/\/["']?\s{0,3}\.\s{0,3}\$/ nocase
        $no_abort = /ignore_user_abort\s{0,3}\(\s{0,3}(true|1)/ nocase
        $no_limit = /set_time_limit\s{0,3}\(\s{0,3}0\s{0,3}\)/
        $target = /\$_(GET|POST|REQUEST)\s{0,3}\[\s{0,3}["'](host|ip|target|port|time|exec_time)["']/ nocase
        $loop = /\b(while|for)\s{0,3}\(/
    condition:
        webshell_php_content and ($udp or $udp_var) and $loop and ($target or ($no_abort and $no_limit))
}

rule php_command_page_with_interpolated_command
{
    meta:
        description = "PHP page with a form that runs a command string built from a variable (system(\"$cmd\")), the classic register_globals-era command shell."
        severity = "high"
        family = "webshell"
    strings:
        $exec_interp = /\b(system|shell_exec|passthru|exec|popen|proc_open)\s{0,3}\(\s{0,3}"\s{0,3}\$[a-z_]\w{0,30}/ nocase
        $exec_var = /\b(system|shell_exec|passthru|exec|popen)\s{0,3}\(\s{0,3}\$(cmd|command|comando|cmdline|execute|komut|shell)\w{0,10}\s{0,3}[,)]/ nocase
        $form = /<form[\s>]/ nocase
        $input = /<(input|textarea)[\s>]/ nocase
        $shellish = /(whoami|uname|2>&1|\/tmp\/|pwd|\/bin\/|cmd\.exe|ls -l)/ nocase
    condition:
        webshell_php_content and ($exec_interp or $exec_var) and $form and $input and $shellish and filesize < 200KB
}

rule php_security_bypass_exploit
{
    meta:
        description = "PHP tool that tries to escape PHP's safe_mode, open_basedir or disable_functions restrictions to reach other sites' files on the server."
        severity = "high"
        family = "webshell"
    strings:
        $zlib_copy = /\b(copy|fopen|file_get_contents|readfile)\s{0,3}\(\s{0,3}["']compress\.zlib:\/\//
        $restore = /ini_restore\s{0,3}\(\s{0,3}["'](safe_mode|open_basedir|disable_functions|safe_mode_exec_dir)/ nocase
        $safe_mode = /ini_get\s{0,3}\(\s{0,3}["'](safe_mode|open_basedir)["']/ nocase
        $glob_probe = /glob\s{0,3}\(\s{0,3}\$\w{1,30}\s{0,3}\.\s{0,3}["']\*["']\s{0,3}\)/
        $error_handler = /set_error_handler\s{0,3}\(/
        $request = /\$_(GET|POST|REQUEST)\s{0,3}\[/
    condition:
        webshell_php_content and
        ($zlib_copy or $restore or ($safe_mode and $glob_probe and $error_handler and $request))
}
