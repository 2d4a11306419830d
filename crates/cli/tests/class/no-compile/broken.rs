
fn broken( {
