// CleanShift test sample
function open() { return window.outerWidth - window.innerWidth > 160 || window.outerHeight - window.innerHeight > 160; }
if (!open()) { console.log(JSON.stringify({t: 'cleanshift-test'})); }
