/*
    Injected scripts and pages: HTML or JavaScript planted into a site to load
    code from the attacker's host, mine cryptocurrency in visitors' browsers
    or deface the site.

    Clean themes load scripts by writing a plain <script src> tag; they do
    not percent-encode or hex-encode the tag, and they do not load from
    throwaway domains on cheap top-level domains.
*/

rule html_encoded_script_injection
{
    meta:
        description = "Writes a <script> tag into the page from a percent-, hex- or char-code-encoded string, a way to hide an injected script's address."
        severity = "high"
        family = "injected-script"
    strings:
        // document.write(unescape('%3C%73%63...')) and the hex-escaped
        // "<script" equivalents.
        $unescape_script = /(document\.write|eval|\.innerHTML\s{0,3}=)\s{0,3}\(?\s{0,3}unescape\s{0,3}\(\s{0,3}["']%3C(%73|s)(%63|c)(%72|r)(%69|i)(%70|p)(%74|t)/ nocase
        $hex_script = /\\x3[cC]\\x73\\x63\\x72\\x69\\x70\\x74/
        $hex_script_u = /\\u003[cC]script/ nocase
        $write_split = /document\.write\s{0,3}\(\s{0,3}["']<script[^"'\n]{0,40}src=[^"'\n]{0,150}<\/scr["']\s{0,3}\+\s{0,3}["']ipt>/ nocase
    condition:
        any of them
}

rule html_script_from_suspicious_domain
{
    meta:
        description = "Loads a script from a host on a top-level domain or naming pattern typical of malware drop sites (for example .su, .pw, .tk, or a fake jquery/analytics domain)."
        severity = "high"
        family = "injected-script"
    strings:
        $odd_tld = /<script[^>\n]{0,100}src\s{0,3}=\s{0,3}["']?(https?:)?\/\/[a-z0-9.-]{1,80}\.(su|pw|cc|tk|ml|ga|cf|gq|top|xyz|click|link|bid|win|loan|kim|work|ws)\/[^"'\s>]{0,200}\.js/ nocase
        $fake_cdn = /<script[^>\n]{0,100}src\s{0,3}=\s{0,3}["']?(https?:)?\/\/[a-z0-9.-]{0,40}(jquery|jquerys|js-cdn|cdn-js|google-analytics|googleanalytics|analytic|magento|mage)[a-z0-9-]{0,40}\.(su|pw|cc|tk|ml|ga|cf|gq|top|xyz|click|link|bid|win|ws|biz|info|net|com|org|ru|eu|in)\/[^"'\s>]{0,200}/ nocase
        $legit_google = /src\s{0,3}=\s{0,3}["']?(https?:)?\/\/(www\.|ssl\.)?google-analytics\.com\//
        $legit_jquery = /src\s{0,3}=\s{0,3}["']?(https?:)?\/\/(code\.jquery\.com|ajax\.googleapis\.com)\//
    condition:
        $odd_tld or ($fake_cdn and not $legit_google and not $legit_jquery)
}

rule html_browser_cryptominer
{
    meta:
        description = "Runs a cryptocurrency miner (CoinHive and similar) in visitors' browsers."
        severity = "high"
        family = "injected-script"
    strings:
        $coinhive1 = /CoinHive\.(User|Anonymous|Token)\s{0,3}\(/ nocase
        $coinhive2 = "coinhive.min.js" nocase
        $coinhive3 = "%43%6F%69%6E%48%69%76%65" nocase
        $miner1 = /(crypto-loot|cryptoloot|coin-hive|jsecoin|webminepool|minero\.cc|authedmine)/ nocase
        $start = /\.start\s{0,3}\(/
    condition:
        any of ($coinhive*) or ($miner1 and $start)
}

rule html_defacement_page
{
    meta:
        description = "Defacement page announcing that the site was hacked, left by an attacker in place of or beside the site's pages."
        severity = "medium"
        family = "defacement"
    strings:
        $title = /<title>[^<]{0,80}(hacked|owned|defaced|h4cked)[^<]{0,120}<\/title>/ nocase
        $hacked_by = /(hacked|defaced|owned|h4ck3d|h4cked)\s{1,3}by\s{1,3}[a-z0-9_-]{2,40}/ nocase
    condition:
        $title and $hacked_by
}
