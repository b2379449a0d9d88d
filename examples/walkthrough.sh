#!/usr/bin/env bash
# One case by hand, from import to closed: the README's walkthrough, run by tests/test_walkthrough.py.
# Every action carries --at (补录) so the run is the same whatever day it is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export LOSTCONTACT_DB=${LOSTCONTACT_DB:-sqlite:///walkthrough.db}
set -x
lostcontact init
lostcontact import orgs "$here/orgs.csv"
lostcontact import members "$here/members.csv"
lostcontact import contacts "$here/contacts.csv"
lostcontact users add officer1 --role branch_officer --org B1 --name 李书记
lostcontact users add reviewer1 --role committee_reviewer --org C1
lostcontact users add upper1 --role upper_reviewer --org 410402

lostcontact case open 410402198001010110 --cause 1 --at 2016-03-01 --actor officer1     # R1: no contact since 2015-08-31
lostcontact case fire 1 start_search --at 2016-03-02 --actor officer1
lostcontact case log 1 --channel phone --outcome no_answer --note 电话停机 --at 2016-03-03 --actor officer1
lostcontact case log 1 --channel relatives --outcome reached --witness 张丽 --note 经其姐姐联系上本人 --at 2016-03-07 --actor officer1
lostcontact case fire 1 reach --at 2016-03-07 --actor officer1
lostcontact case fire 1 propose --opinion 已取得联系，本人表示愿意参加组织生活 --at 2016-03-10 --actor officer1
lostcontact case fire 1 submit --disposition normal_management --at 2016-03-11 --actor officer1
lostcontact case fire 1 agree --opinion 同意 --at 2016-03-18 --actor reviewer1
lostcontact case fire 1 resolve --meeting "$here/meeting.json" --at 2016-04-12 --actor officer1
lostcontact case fire 1 approve --opinion 同意纳入组织管理 --at 2016-04-20 --actor reviewer1
lostcontact case show 1
lostcontact cases --format json
lostcontact tally --as-of 2016-06-30
