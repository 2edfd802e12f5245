# cmake -DPROGRAM=... -DSNAPSHOT=... -DUSAGE=... -DEXPECT_STATUS=N -DEXPECT_STDERR=text -P run_expect_failure.cmake
# Runs the billing example and checks its exit status and that stderr contains a text.
execute_process(COMMAND ${PROGRAM} ${SNAPSHOT} ${USAGE}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL EXPECT_STATUS)
  message(FATAL_ERROR "expected exit status ${EXPECT_STATUS}, got ${status}\nstderr: ${err}")
endif()
string(FIND "${err}" "${EXPECT_STDERR}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "stderr does not contain `${EXPECT_STDERR}`:\n${err}")
endif()
message(STATUS "exit ${status}: ${err}")
