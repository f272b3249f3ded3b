<?php
// A tiny template engine: placeholders are replaced, nothing is evaluated.
function render(string $template, array $vars): string
{
    $pairs = array();
    foreach ($vars as $key => $value) {
        $pairs['{{' . $key . '}}'] = htmlspecialchars((string) $value, ENT_QUOTES);
    }
    return strtr($template, $pairs);
}
$filters = array('upper' => 'strtoupper', 'lower' => 'strtolower');
$name = isset($_GET['name']) ? (string) $_GET['name'] : 'guest';
$filter = $filters['upper'];
echo render('<p>Hello {{name}}</p>', array('name' => $filter($name)));
