// CleanShift test sample
function r(n,e,i){for(var t=e%n.length,r="";r.length<n.length;t=(t+i)%n.length)r+=n.charAt(t);return r}
console.log(r("tset-tfihsnaelc",0,1));
