// CleanShift test sample
eval(function(p,a,c,k,e,d){e=function(c){return c};return p}('console.log("cleanshift-test")',10,0,''.split('|'),0,{}));
