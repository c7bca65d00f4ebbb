# Crash safety: a server killed with SIGKILL in the middle of a large
# synth_insert comes back with no partial rows and clean amcheck results.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
# The test framework turns automatic crash restarts off; this test wants them.
$node->append_conf('postgresql.conf', "restart_after_crash = on\nsynthdata.progress_interval = 0\n");
$node->start;

my $table_sql = slurp_file("$ENV{SYNTHDATA_ROOT}/examples/training_prompts.sql");
$node->safe_psql('postgres', 'CREATE EXTENSION synthdata; CREATE EXTENSION amcheck;');
$node->safe_psql('postgres', $table_sql);
$node->safe_psql('postgres', "SELECT synth_insert('training_prompts', 1000, seed => 1)");

# A batch large enough to be killed halfway: 2M rows take tens of seconds here.
my ($stdout, $stderr) = ('', '');
my $insert = IPC::Run::start(
	[ 'psql', '-X', '-d', $node->connstr('postgres'), '-c',
	  "SELECT synth_insert('training_prompts', 2000000, seed => 2)" ],
	'>', \$stdout, '2>', \$stderr);

# Wait until the insert has been running for a while, then SIGKILL its
# backend: the postmaster treats that as a crash, resets every backend and
# runs crash recovery, as after a power loss.
my $waited = 0;
my $pid = '';
while ($waited < 200)
{
	$pid = $node->safe_psql('postgres',
		"SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT synth_insert(%2000000%' AND state = 'active' AND now() - query_start > interval '2 seconds'");
	last if $pid ne '';
	usleep(100_000);
	$waited++;
}
ok($pid ne '', 'the large insert was running when its backend was killed');
kill 'KILL', $pid if $pid ne '';
$insert->finish;
my $recovered = 0;
for (1 .. 600)
{
	# psql fails (or its pipe breaks) until crash recovery has finished.
	my $ready = eval { $node->psql('postgres', 'SELECT 1') == 0 };
	if ($ready) { $recovered = 1; last; }
	usleep(100_000);
}
ok($recovered, 'the server recovered from the crash');

is($node->safe_psql('postgres', 'SELECT count(*) FROM training_prompts'),
	'1000', 'only the committed batch survives the crash: no partial rows');
is($node->safe_psql('postgres',
		"SELECT count(*) FROM training_prompts WHERE (enhancement_result->'metadata'->>'seed')::bigint = 2"),
	'0', 'no row of the killed batch is visible');
is($node->safe_psql('postgres', "SELECT count(*) FROM verify_heapam('training_prompts')"),
	'0', 'verify_heapam finds no corruption in the table');
my $indexes = $node->safe_psql('postgres',
	"SELECT string_agg(indexrelid::regclass::text, ' ') FROM pg_index WHERE indrelid = 'training_prompts'::regclass");
for my $index (split / /, $indexes)
{
	$node->safe_psql('postgres', "SELECT bt_index_check('$index', true)");
	pass("bt_index_check(heapallindexed) passes on $index");
}
is($node->safe_psql('postgres', "SELECT synth_insert('training_prompts', 100, seed => 3)"),
	'100', 'the table takes new rows after recovery');

$node->stop;
done_testing();
